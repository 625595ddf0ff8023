namespace TraceQuery.Filtering;

/// <summary><c>thread:1,3</c>: events of the listed thread ids.</summary>
public sealed record ThreadTerm(IReadOnlyList<uint> ThreadIds) : FilterNode;
