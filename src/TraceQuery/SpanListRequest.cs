using TraceQuery.Model;

namespace TraceQuery;

/// <summary>A <see cref="QueryEngine.ListSpans"/> request: call spans by function, thread, status and duration, in span order.</summary>
public sealed record SpanListRequest : TraceRequest
{
    /// <summary>Only spans of functions whose name matches this glob, or <c>/regex/</c>; null for every function.</summary>
    public string? Function { get; init; }

    /// <summary>Only spans on this thread id; null for every thread.</summary>
    public uint? ThreadId { get; init; }

    /// <summary>Only spans of this status; null for every status.</summary>
    public SpanStatus? Status { get; init; }

    /// <summary>Only spans at least this many nanoseconds long; null for no lower bound.</summary>
    public long? MinDurationNs { get; init; }

    /// <summary>Only spans at most this many nanoseconds long; null for no upper bound.</summary>
    public long? MaxDurationNs { get; init; }

    /// <summary>List at most this many spans (at least 1); null for all.</summary>
    public int? Limit { get; init; }
}
