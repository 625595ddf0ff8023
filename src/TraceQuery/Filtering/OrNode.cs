namespace TraceQuery.Filtering;

/// <summary>Either operand matches (<c>a or b</c>).</summary>
public sealed record OrNode(FilterNode Left, FilterNode Right) : FilterNode;
