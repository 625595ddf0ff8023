using TraceQuery.Model;

namespace TraceQuery.Filtering;

/// <summary><c>status:unwound,unmatched</c>: spans that ended in one of the listed ways; selects each span's opening event.</summary>
public sealed record SpanStatusTerm(IReadOnlyList<SpanStatus> Statuses) : FilterNode;
