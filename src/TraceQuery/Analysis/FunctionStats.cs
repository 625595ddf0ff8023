namespace TraceQuery.Analysis;

/// <summary>
/// Statistics of one function's call spans. Durations are in nanoseconds; percentiles are exact, with
/// linear interpolation between closest ranks (the definition of DuckDB's <c>quantile_cont</c>).
/// </summary>
/// <param name="FunctionId">Function id.</param>
/// <param name="Ordinal">Index into the trace's distinct function ids.</param>
/// <param name="Name">Display name.</param>
/// <param name="Module">Module file name.</param>
/// <param name="Count">Number of spans.</param>
/// <param name="TotalNs">Sum of durations.</param>
/// <param name="SelfTotalNs">Sum of self times (duration minus direct children).</param>
/// <param name="MinNs">Shortest duration.</param>
/// <param name="MaxNs">Longest duration.</param>
/// <param name="MeanNs">Mean duration.</param>
/// <param name="P50Ns">Median duration.</param>
/// <param name="P95Ns">95th percentile duration.</param>
/// <param name="P99Ns">99th percentile duration.</param>
/// <param name="Incomplete">Spans that did not end with their own RETURN (unmatched, unwound, orphan).</param>
public sealed record FunctionStats(
    ulong FunctionId,
    int Ordinal,
    string Name,
    string Module,
    long Count,
    long TotalNs,
    long SelfTotalNs,
    long MinNs,
    long MaxNs,
    double MeanNs,
    double P50Ns,
    double P95Ns,
    double P99Ns,
    long Incomplete);

/// <summary>What <see cref="Analyzer.TopFunctions"/> ranks by.</summary>
public enum FunctionMetric
{
    /// <summary>Number of calls.</summary>
    Count,
    /// <summary>Total time inside the function, children included.</summary>
    Total,
    /// <summary>Time in the function itself, children excluded.</summary>
    Self,
    /// <summary>95th percentile duration.</summary>
    P95,
}
