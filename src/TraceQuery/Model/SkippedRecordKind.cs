namespace TraceQuery.Model;

/// <summary>A kind of source record the model has no place for, and how many of them a reader skipped.</summary>
/// <param name="Kind">What the records are, in the source's terms (e.g. <c>Chrome phase 'O' (object snapshot)</c>).</param>
/// <param name="Count">How many were skipped.</param>
public readonly record struct SkippedRecordKind(string Kind, long Count);
