namespace TraceQuery.Parquet;

/// <summary>A trace of a set that could not be read, so nothing was written for it.</summary>
/// <param name="Name">The trace's name in the set.</param>
/// <param name="Error">The reader's message (file, byte offset, what was wrong).</param>
public sealed record TraceLakeFailure(string Name, string Error);
