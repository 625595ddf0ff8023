namespace TraceQuery.Filtering;

/// <summary>Matches every event (the empty filter).</summary>
public sealed record AllNode : FilterNode;
