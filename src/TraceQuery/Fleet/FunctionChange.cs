using TraceQuery.Analysis;

namespace TraceQuery.Fleet;

/// <summary>
/// One function compared across two runs, matched by name and module (ids may differ between builds): its statistics in
/// each run (null where it does not appear) and the metrics that changed beyond the thresholds.
/// </summary>
/// <param name="Name">Display name.</param>
/// <param name="Module">Module file name.</param>
/// <param name="Baseline">Statistics in the baseline, or null when the function appears only in the candidate.</param>
/// <param name="Candidate">Statistics in the candidate, or null when the function vanished.</param>
/// <param name="Changes">Metrics beyond the thresholds, largest impact first; empty for an unchanged function.</param>
public sealed record FunctionChange(string Name, string Module, FunctionStats? Baseline, FunctionStats? Candidate, IReadOnlyList<MetricChange> Changes)
{
    /// <summary>The largest absolute impact among <see cref="Changes"/> (0 when none).</summary>
    public double ImpactNs => Changes.Count == 0 ? 0 : Changes.Max(c => Math.Abs(c.ImpactNs));

    /// <summary>True when the change with the largest impact costs time (slower or more calls).</summary>
    public bool IsRegression => Changes.Count > 0 && Changes.MaxBy(c => Math.Abs(c.ImpactNs))!.ImpactNs > 0;
}
