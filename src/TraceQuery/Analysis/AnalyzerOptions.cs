namespace TraceQuery.Analysis;

/// <summary>Thresholds of the finding detectors. Defaults suit traces of milliseconds to minutes.</summary>
public sealed record AnalyzerOptions
{
    /// <summary>Default options.</summary>
    public static AnalyzerOptions Default { get; } = new();

    /// <summary>A call whose self time is at least this long (and at least half its duration) may be a hang. Default 1 s.</summary>
    public long HangMinimumNs { get; init; } = 1_000_000_000;

    /// <summary>…and at least this share of the trace's time span. Default 0.25.</summary>
    public double HangMinimumShare { get; init; } = 0.25;

    /// <summary>
    /// A call is a latency outlier only when its duration (self time for functions with traced children) is at least this
    /// many times its function's p50, and at least the p99 plus the p50–p99 gap, and at least the p50 plus
    /// <see cref="OutlierMinimumExcessNs"/>. Default 20.
    /// </summary>
    public double OutlierFactor { get; init; } = 20;

    /// <summary>A latency outlier exceeds its function's p50 by at least this much (sub-µs noise is no finding). Default 10 µs.</summary>
    public long OutlierMinimumExcessNs { get; init; } = 10_000;

    /// <summary>Functions with fewer spans are not tested for outliers. Default 20.</summary>
    public int OutlierMinimumCount { get; init; } = 20;

    /// <summary>Paired counts must differ by at least this many calls… Default 3.</summary>
    public int LeakMinimumDifference { get; init; } = 3;

    /// <summary>…and by at least this share of the larger count. Default 0.1.</summary>
    public double LeakMinimumShare { get; init; } = 0.1;

    /// <summary>A function holding at least this share of all calls is a hot spot. Default 0.4.</summary>
    public double HotSpotCallShare { get; init; } = 0.4;

    /// <summary>A function holding at least this share of all self time is a hot spot. Default 0.5.</summary>
    public double HotSpotSelfShare { get; init; } = 0.5;

    /// <summary>
    /// A function that is the leaf of at least this share of the sampled CPU time (stack samples, waiting samples left
    /// out) is a sampled hot spot. Default 0.1.
    /// </summary>
    public double SampledHotSpotShare { get; init; } = 0.1;

    /// <summary>At most this many sampled hot spots are reported, heaviest first. Default 3.</summary>
    public int MaxSampledHotSpots { get; init; } = 3;

    /// <summary>How many events before a crash to cite. Default 5.</summary>
    public int EventsBeforeCrash { get; init; } = 5;

    /// <summary>How many exemplar spans a finding cites. Default 3.</summary>
    public int Exemplars { get; init; } = 3;

    /// <summary>Cores used for per-function statistics; -1 (default) uses all. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
