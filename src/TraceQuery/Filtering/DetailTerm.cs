namespace TraceQuery.Filtering;

/// <summary><c>detail:yes|no</c>: whether the event links a readable detail record.</summary>
public sealed record DetailTerm(bool HasDetail) : FilterNode;
