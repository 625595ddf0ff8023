namespace TraceQuery.Filtering;

/// <summary><c>self&gt;1ms</c>: compares a span's self time (its duration minus its direct children's); selects the span's opening event.</summary>
public sealed record SelfTimeTerm(ComparisonOperator Op, long Nanoseconds) : FilterNode;
