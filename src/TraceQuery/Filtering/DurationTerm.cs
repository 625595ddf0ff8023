namespace TraceQuery.Filtering;

/// <summary><c>duration&gt;10ms</c>: compares the duration of the call span that a RETURN closes (other events never match).</summary>
public sealed record DurationTerm(ComparisonOperator Op, long Nanoseconds) : FilterNode;
