namespace TraceQuery.Fleet;

/// <summary>What <see cref="FleetAnalyzer.Analyze"/> found across a set of traces. Every list is in a stable order.</summary>
/// <param name="Traces">One digest per trace, in set order.</param>
/// <param name="Groups">Findings grouped by kind and culprit: most severe first, then most traces, then name.</param>
/// <param name="Spreads">The hot functions whose p95 differs most between traces, highest ratio first.</param>
/// <param name="Outliers">Traces that stand out by errors or duration: errors first (most first), then by how far off.</param>
/// <param name="Filter">The filter's canonical text, or null.</param>
public sealed record FleetReport(
    IReadOnlyList<TraceDigest> Traces,
    IReadOnlyList<FailureGroup> Groups,
    IReadOnlyList<FunctionSpread> Spreads,
    IReadOnlyList<TraceOutlier> Outliers,
    string? Filter)
{
    /// <summary>
    /// The hot sampled functions whose share of sampled CPU differs most between the traces that hold stack samples
    /// (<see cref="FleetOptions.MinCpuSamples"/> or more), largest excess over the median first; empty without two such traces.
    /// </summary>
    public IReadOnlyList<SampledSpread> SampledSpreads { get; init; } = [];

    /// <summary>Traces that failed (crashed or unreadable).</summary>
    public int Failed => Traces.Count(t => t.Failed);

    /// <summary>Events of all traces.</summary>
    public long Events => Traces.Sum(t => (long)t.Events);

    /// <summary>Events the filter selected in all traces.</summary>
    public long EventsMatched => Traces.Sum(t => (long)t.EventsMatched);
}
