namespace TraceQuery.Filtering;

/// <summary><c>depth&gt;3</c>, <c>depth:2</c>: compares the event's call depth.</summary>
public sealed record DepthTerm(ComparisonOperator Op, uint Value) : FilterNode;
