using TraceQuery.Model;

namespace TraceQuery.Filtering;

/// <summary><c>kind:call|return|exception</c>, several kinds separated by <c>,</c> or <c>|</c>.</summary>
public sealed record KindTerm(IReadOnlyList<EventKind> Kinds) : FilterNode;
