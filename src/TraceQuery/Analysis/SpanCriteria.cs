using TraceQuery.Model;

namespace TraceQuery.Analysis;

/// <summary>Which call spans a span listing keeps; every criterion left null (or at its default) keeps all.</summary>
/// <param name="Functions">Per function ordinal, whether its spans are kept; null for every function.</param>
/// <param name="ThreadId">Only spans of this thread id.</param>
/// <param name="Status">Only spans of this status.</param>
/// <param name="MinDurationNs">Only spans at least this long.</param>
/// <param name="MaxDurationNs">Only spans at most this long.</param>
internal sealed record SpanCriteria(bool[]? Functions, uint? ThreadId, SpanStatus? Status, long MinDurationNs, long MaxDurationNs);
