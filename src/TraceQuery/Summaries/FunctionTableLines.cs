using TraceQuery.Analysis;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>The lines of a top-functions table: rank, name, module, calls, total, self, percentiles, max and a <c>fn:</c> reference.</summary>
internal static class FunctionTableLines
{
    /// <summary>Lines for <paramref name="top"/> out of <paramref name="functionCount"/> functions ranked by <paramref name="metricName"/>.</summary>
    public static AnswerLines Build(IReadOnlyList<FunctionStats> top, int functionCount, string metricName, string query, int matched,
        SampledProfile? sampled = null, FunctionMetric metric = FunctionMetric.Self, int count = 0)
    {
        var items = top.Select((f, i) => new SummaryItem(SummaryItemKind.Function,
            $"{i + 1}. {f.Name} ({f.Module}) ×{TraceText.Count(f.Count)} · total {TraceText.Duration(f.TotalNs)} · self {TraceText.Duration(f.SelfTotalNs)} · p50 {TraceText.Duration((long)f.P50Ns)} · p95 {TraceText.Duration((long)f.P95Ns)} · p99 {TraceText.Duration((long)f.P99Ns)} · max {TraceText.Duration(f.MaxNs)} · {EvidenceRef.ForFunction(f.FunctionId)}",
            AnswerSections.Functions));
        string headline = $"# Top {TraceText.Count(top.Count)} of {TraceText.Count(functionCount)} functions by {metricName}";
        long shown = top.Count;
        if (sampled is { CpuSamples: > 0 })
        {
            // Stack samples have no call counts or percentiles: total ranks by sampled total time, every other metric by sampled self time.
            bool byTotal = metric == FunctionMetric.Total;
            var sampledTop = byTotal ? sampled.TopByTotal(count) : sampled.TopBySelf(count);
            headline += $"; top {TraceText.Count(sampledTop.Count)} of {TraceText.Count(sampled.Functions.Count)} sampled functions by sampled {(byTotal ? "total" : "self")} time "
                + $"({TraceText.Count(sampled.CpuSamples)} CPU samples, {TraceText.Duration(sampled.CpuNs)})";
            items = items.Concat(sampledTop.Select((f, i) => new SummaryItem(SummaryItemKind.Function,
                $"{i + 1}. {f.Name}{(f.Module is { } m ? " (" + m + ")" : "")} · sampled self {TraceText.Duration(f.SelfNs)} · total {TraceText.Duration(f.TotalNs)} · {TraceText.Count(f.SelfSamples)}/{TraceText.Count(f.TotalSamples)} samples",
                AnswerSections.SampledFunctions)));
            shown += sampledTop.Count;
        }
        var totals = new Dictionary<SummaryItemKind, long> { [SummaryItemKind.Function] = shown };
        return new AnswerLines(headline, items, totals, query, matched, []);
    }
}
