using TraceQuery.Model;
using TraceQuery.Vectorized;
using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Latency outliers, folded per function, on the duration distribution (on self time only for functions with traced
/// children, so a slow callee does not make every caller look slow). A call is an outlier when it reaches the largest
/// of: the p99 plus the p50–p99 gap (a robust spread: a bimodal function's second mode stays under it), the
/// <see cref="AnalyzerOptions.OutlierFactor"/> times the p50, and the p50 plus <see cref="AnalyzerOptions.OutlierMinimumExcessNs"/>
/// (sub-µs noise is no finding). Findings are ranked by time lost: the excess over the p50 summed over the outliers.
/// Spans on async tracks are latency stages (waiting, not CPU); spans a producer marked as aggregates, envelopes,
/// pseudo-frames or instants are never outliers.
/// </summary>
internal static class OutlierDetector
{
    private const SpanMarks Skipped = HangDetector.NotACall | SpanMarks.Instant;

    public static IEnumerable<Finding> Detect(SpanStatistics stats, AnalyzerOptions options, HashSet<int> hangSpans)
    {
        var trace = stats.Trace;
        var spans = stats.Spans;
        long traceLength = Math.Max(1, trace.TimeEndNs - trace.TimeStartNs);
        foreach (var function in stats.ByOrdinal)
        {
            if (function is null || function.Count < options.OutlierMinimumCount)
                continue;
            var group = stats.Group(function.Ordinal);
            if ((spans.GetMarks(group[0]) & Skipped) != 0)
                continue;
            bool stage = spans.GetTrack(group[0]) == SpanTrack.Async;
            bool onSelf = !stage && function.SelfTotalNs != function.TotalNs;
            var measure = onSelf ? FigureMeasure.SelfTime : FigureMeasure.Duration;
            // The upper reference: the p99, or with fewer than 100 calls the second-slowest call (the p99 of a small
            // group is pulled towards its slowest call, which would hide a single outlier).
            double upper = Math.Min(0.99, (function.Count - 2.0) / (function.Count - 1.0));
            double p50, p99;
            var groupSelf = stats.GroupSelfTimes(function.Ordinal);
            if ((onSelf || upper != 0.99) && stats.TryGetOutlierReference(function.Ordinal, onSelf, upper, out p50, out p99))
            {
                // computed once in the statistics' per-function pass, from the same values as below
            }
            else if (onSelf || upper != 0.99)
            {
                long[] sorted;
                if (onSelf)
                {
                    sorted = groupSelf.ToArray(); // the selection reorders it
                }
                else
                {
                    sorted = new long[group.Length];
                    for (int i = 0; i < group.Length; i++)
                        sorted[i] = stats.Durations[group[i]];
                }
                Span<double> q = stackalloc double[2];
                Kernels.Percentiles(sorted, [0.5, upper], q);
                (p50, p99) = (q[0], q[1]);
            }
            else
            {
                (p50, p99) = (function.P50Ns, function.P99Ns); // the hot list's own statistics
            }
            double threshold = Math.Max(Math.Max(p99 + (p99 - p50), p50 * options.OutlierFactor), p50 + options.OutlierMinimumExcessNs);
            var outliers = new List<(long Value, int Span)>();
            double lost = 0;
            bool onlyHangs = true;
            for (int i = 0; i < group.Length; i++)
            {
                // Self times are contiguous in group order; durations are read through the span id.
                long value = onSelf ? groupSelf[i] : stats.Durations[group[i]];
                if (value >= threshold)
                {
                    outliers.Add((value, group[i]));
                    lost += value - p50;
                    onlyHangs &= hangSpans.Contains(group[i]);
                }
            }
            if (outliers.Count == 0 || onlyHangs)
                continue; // none, or reported as long calls already
            outliers.Sort((a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : a.Span.CompareTo(b.Span));
            int slowest = outliers[0].Span;

            var fn = function.FunctionId;
            var f = new FigureSet();
            var calls = f.Calls("calls", fn, function.Count);
            var median = f.Percentile("p50", measure, fn, 0.5, p50);
            string upperName = upper == 0.99 ? "p99" : "next slowest";
            var high = f.Percentile(upperName, measure, fn, upper, p99);
            var max = f.Add("slowest", measure, FigureBasis.Maximum, outliers[0].Value, EvidenceRef.ForFunction(fn));
            var gap = f.Combine($"p50–{upperName} gap", measure, FigureBasis.Difference, high, median, printed: false);
            var spread = f.Combine($"{upperName} plus the gap", measure, FigureBasis.Sum, high, gap);
            var factor = f.Setting("factor", FigureMeasure.Ratio, options.OutlierFactor);
            var times = f.Combine("factor times the p50", measure, FigureBasis.Product, factor, median);
            var floor = f.Setting("minimum excess", measure, options.OutlierMinimumExcessNs); // a floor on the scale it is added to
            var floored = f.Combine("p50 plus the minimum excess", measure, FigureBasis.Sum, median, floor);
            var larger = f.Combine("larger of the first two", measure, FigureBasis.Larger, spread, times, printed: false);
            var limit = f.Combine("threshold", measure, FigureBasis.Larger, larger, floored);
            var count = f.Add("outliers", FigureMeasure.Count, FigureBasis.CallsAtLeast, outliers.Count, EvidenceRef.ForFunction(fn), left: limit);
            var excess = f.Add("time lost", measure, FigureBasis.ExcessOver, lost, EvidenceRef.ForFunction(fn), left: limit, right: median);
            var ratio = f.Quotient("slowest over p50", FigureMeasure.Ratio, max, median);
            var evidence = new List<EvidenceRef>();
            evidence.AddRange(outliers.Take(options.Exemplars).Select(o => EvidenceRef.ForSpan(o.Span)));
            evidence.Add(EvidenceRef.ForFunction(fn));

            string what = stage ? "latency stage (async track: time waiting, not CPU work)"
                : onSelf ? "self-time" : "duration";
            string label = onSelf ? " self time" : "";
            string verb = onSelf ? "spent" : "took";
            string where = onSelf ? " in the function itself" : "";
            string compared = ratio is { } r ? $" ({r} the p50{label})" : "";
            yield return new Finding(
                stage ? FindingKind.LatencyStage : FindingKind.LatencyOutlier,
                // Slow calls are context, like hot spots: on a trace where nothing failed, nothing is above info (issue 21 item 6).
                Severity.Info,
                $"{(stage ? "Latency stage " : "")}{function.Name} ×{calls} ·{label} p50 {median} · {upperName} {high} · slowest {max} (span:{slowest})",
                $"{count} of {calls} calls of {function.Name} ({function.Module}) {verb} at least {limit}{where}, on its {what} distribution; "
                + $"the slowest {verb} {max}{where}{compared}. "
                + $"The threshold is the largest of the {upperName} plus the p50–{upperName} gap ({spread}), {factor} the p50 ({times}) "
                + $"and the p50 plus {floor} ({floored}){label}. Time lost over a typical (p50) call{where}: {excess} in all.",
                evidence,
                fn,
                lost / traceLength)
            { Figures = f.Figures };
        }
    }
}
