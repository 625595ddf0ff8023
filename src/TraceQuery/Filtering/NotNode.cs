namespace TraceQuery.Filtering;

/// <summary>The operand does not match (<c>not a</c>).</summary>
public sealed record NotNode(FilterNode Operand) : FilterNode;
