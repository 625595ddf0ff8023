namespace TraceQuery.Filtering;

/// <summary>Both operands match (<c>a and b</c>, or juxtaposition <c>a b</c>).</summary>
public sealed record AndNode(FilterNode Left, FilterNode Right) : FilterNode;
