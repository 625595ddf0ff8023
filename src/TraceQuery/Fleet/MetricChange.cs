namespace TraceQuery.Fleet;

/// <summary>One metric of one function that changed beyond the thresholds of <see cref="RunDiffOptions"/>.</summary>
/// <param name="Metric">What changed.</param>
/// <param name="Baseline">Its value in the baseline (nanoseconds, or calls for <see cref="DiffMetric.Count"/>).</param>
/// <param name="Candidate">Its value in the candidate.</param>
/// <param name="ImpactNs">
/// Estimated time the change adds to the run (negative: saves), used for ranking: the self-time difference for
/// <see cref="DiffMetric.Self"/>; the p50 difference times the calls both runs have for <see cref="DiffMetric.P50"/>; the
/// p95 difference times a twentieth of those calls for <see cref="DiffMetric.P95"/>; the call difference times the
/// baseline's mean duration for <see cref="DiffMetric.Count"/>.
/// </param>
public sealed record MetricChange(DiffMetric Metric, double Baseline, double Candidate, double ImpactNs)
{
    /// <summary>Candidate minus baseline.</summary>
    public double Delta => Candidate - Baseline;

    /// <summary>The change relative to the baseline (<c>0.5</c> = 50% more); infinity when the baseline is 0.</summary>
    public double Relative => Baseline == 0 ? double.PositiveInfinity : Delta / Baseline;
}
