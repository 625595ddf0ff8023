namespace TraceQuery.Filtering;

/// <summary>
/// A structural filter such as <c>fn:flush &gt;&gt; fn:write</c>: the spans matching <see cref="Inner"/> whose parent or
/// ancestors relate to spans matching <see cref="Outer"/> as <see cref="Relation"/> says. A span matches a side when
/// its opening event (the CALL; for an orphan, its RETURN) matches it; the result selects the opening events of the
/// matching inner spans, one event per span.
/// </summary>
public sealed record SpanRelationNode(SpanRelation Relation, FilterNode Outer, FilterNode Inner) : FilterNode;
