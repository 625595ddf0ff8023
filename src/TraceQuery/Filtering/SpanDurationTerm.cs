namespace TraceQuery.Filtering;

/// <summary><c>dur&gt;10ms</c>: compares a span's duration (to the thread's last event when it never closed); selects the span's opening event.</summary>
public sealed record SpanDurationTerm(ComparisonOperator Op, long Nanoseconds) : FilterNode;
