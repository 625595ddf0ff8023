namespace TraceQuery.Generation;

/// <summary>Options for <see cref="TraceGenerator"/>. The same options always give the same trace.</summary>
public sealed record TraceGeneratorOptions
{
    /// <summary>Seed of the pseudo-random sequence. Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Number of threads (slots 0..N-1). Default 4.</summary>
    public int Threads { get; init; } = 4;

    /// <summary>Anomalies to plant. Default none.</summary>
    public TraceAnomalies Anomalies { get; init; }

    /// <summary>Attach detail records (registers, stack snapshot) to the calls of <c>open_store</c>, <c>put_record</c>, <c>flush_pages</c> and <c>close_store</c>. Default false.</summary>
    public bool WithDetail { get; init; }

    /// <summary>Largest call depth. Default 8.</summary>
    public int MaxDepth { get; init; } = 8;

    /// <summary>Timestamp of the first event in nanoseconds. Default 7,300,000,000,000 (like the original tracer's samples).</summary>
    public long StartTimestampNs { get; init; } = 7_300_000_000_000;
}
