namespace TraceQuery;

/// <summary>A <see cref="QueryEngine.Info"/> request: the trace's source, time range, counts, per-thread recovery and warnings.</summary>
public sealed record TraceInfoRequest : TraceRequest
{
    /// <summary>How the answer's headline names the trace; null for its source's file name (or its format, in memory).</summary>
    public string? TraceName { get; init; }
}
