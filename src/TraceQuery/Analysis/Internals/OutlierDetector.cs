using TraceQuery.Vectorized;
using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Latency outliers, folded per function: calls whose self time is far above the function's median self
/// time and above its p99. Self time keeps a slow callee from making every caller look slow.
/// </summary>
internal static class OutlierDetector
{
    public static IEnumerable<Finding> Detect(SpanStatistics stats, AnalyzerOptions options, HashSet<int> hangSpans)
    {
        var trace = stats.Trace;
        var self = stats.SelfTimes;
        foreach (var function in stats.ByOrdinal)
        {
            if (function is null || function.Count < options.OutlierMinimumCount)
                continue;
            var group = stats.Group(function.Ordinal);
            var groupSelf = stats.GroupSelfTimes(function.Ordinal);
            var selfTimes = groupSelf.ToArray(); // the selection reorders it
            Span<double> q = stackalloc double[2];
            Kernels.Percentiles(selfTimes, [0.5, 0.99], q);
            double median = Math.Max(q[0], 1);
            double threshold = Math.Max(median * options.OutlierFactor, q[1]);
            var outliers = new List<int>();
            for (int i = 0; i < group.Length; i++)
            {
                // Contiguous self times in group order: no gather through span ids.
                if (groupSelf[i] >= threshold && groupSelf[i] > q[1] && !hangSpans.Contains(group[i]))
                    outliers.Add(group[i]);
            }
            if (outliers.Count == 0)
                continue;
            outliers.Sort((a, b) => stats.Durations[b] != stats.Durations[a] ? stats.Durations[b].CompareTo(stats.Durations[a]) : a.CompareTo(b));
            int slowest = outliers[0];
            double ratio = self[slowest] / median;
            var evidence = new List<EvidenceRef>();
            evidence.AddRange(outliers.Take(options.Exemplars).Select(EvidenceRef.ForSpan));
            evidence.Add(EvidenceRef.ForFunction(function.FunctionId));
            yield return new Finding(
                FindingKind.LatencyOutlier,
                Severity.Medium,
                $"{function.Name} ×{Count(function.Count)} · p50 {Duration(function.P50Ns)} · p99 {Duration(function.P99Ns)} · slowest {Duration(stats.Durations[slowest])} (span:{slowest})",
                $"{Count(outliers.Count)} of {Count(function.Count)} calls of {function.Name} ({function.Module}) spent at least "
                + $"{Duration(threshold)} in the function itself, {options.OutlierFactor.ToString(System.Globalization.CultureInfo.InvariantCulture)}× its median self time "
                + $"({Duration(q[0])}); the slowest took {Duration(stats.Durations[slowest])} ({ratio.ToString("0", System.Globalization.CultureInfo.InvariantCulture)}× the median). "
                + $"Durations: p50 {Duration(function.P50Ns)}, p95 {Duration(function.P95Ns)}, p99 {Duration(function.P99Ns)}, max {Duration(function.MaxNs)}.",
                evidence,
                function.FunctionId,
                ratio);
        }
    }
}
