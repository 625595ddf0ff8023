namespace TraceQuery.Analysis;

/// <summary>
/// Which samples a <see cref="SampledProfile"/> covers: one thread, a time window, and samples whose stack holds a function
/// (or whose leaf is it). Every bound is optional; the default covers every sample.
/// </summary>
public sealed record SampleScope
{
    /// <summary>Covers every sample.</summary>
    public static SampleScope All { get; } = new();

    /// <summary>Only samples of this thread (the model's id), or null for all threads.</summary>
    public uint? ThreadId { get; init; }

    /// <summary>Only samples at or after this time (ns), or null.</summary>
    public long? StartNs { get; init; }

    /// <summary>Only samples before this time (ns), or null.</summary>
    public long? EndNs { get; init; }

    /// <summary>Only samples with a frame of this function name (exact, ordinal), or null.</summary>
    public string? Function { get; init; }

    /// <summary>With <see cref="Function"/>: only samples whose leaf frame is that function.</summary>
    public bool LeafOnly { get; init; }
}
