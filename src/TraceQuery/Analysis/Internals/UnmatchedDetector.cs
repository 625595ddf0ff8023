using TraceQuery.Model;
using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>Calls that did not end with their own RETURN, counted by function and grouped by likely reason.</summary>
internal static class UnmatchedDetector
{
    private enum Reason
    {
        ExceptionUnwind,
        MissingReturn,
        ThreadEnd,
        TraceEnd,
        OrphanReturn,
    }

    /// <summary>The reasons as <see cref="FigureBasis.Unmatched"/> figures name them, in <see cref="Reason"/> order.</summary>
    private static readonly string[] ReasonNames = ["unwound", "missing-return", "thread-end", "trace-end", "orphan-return"];

    public static IEnumerable<Finding> Detect(SpanStatistics stats, AnalyzerOptions options)
    {
        var trace = stats.Trace;
        var spans = stats.Spans;
        long traceSpan = Math.Max(1, trace.TimeEndNs - trace.TimeStartNs);
        var groups = new SortedDictionary<Reason, SortedDictionary<ulong, List<int>>>();
        for (int s = 0; s < spans.Count; s++)
        {
            var status = spans.Statuses[s];
            if (status is SpanStatus.Complete or SpanStatus.Error || !stats.IsIncluded(s))
                continue;
            Reason reason = status switch
            {
                SpanStatus.Unwound => Reason.ExceptionUnwind,
                SpanStatus.OrphanReturn => Reason.OrphanReturn,
                _ when spans.GetEndEvent(s) >= 0 => Reason.MissingReturn,
                _ => trace.TimeEndNs - spans.GetEndTime(s) <= traceSpan / 100 ? Reason.TraceEnd : Reason.ThreadEnd,
            };
            ulong fn = trace.GetFunctionId(spans.StartEvents[s]);
            if (!groups.TryGetValue(reason, out var byFunction))
                groups[reason] = byFunction = [];
            if (!byFunction.TryGetValue(fn, out var list))
                byFunction[fn] = list = [];
            list.Add(s);
        }

        foreach (var (reason, byFunction) in groups)
        {
            int total = byFunction.Values.Sum(l => l.Count);
            var top = byFunction.OrderByDescending(p => p.Value.Count).ThenBy(p => p.Key).ToList();
            var f = new FigureSet();
            string reasonName = ReasonNames[(int)reason];
            var all = f.Add(reasonName, FigureMeasure.Count, FigureBasis.Unmatched, total);
            string breakdown = string.Join(", ", top.Take(8).Select(p => $"{Name(trace, p.Key)} ×{f.Add(reasonName, FigureMeasure.Count, FigureBasis.Unmatched, p.Value.Count, EvidenceRef.ForFunction(p.Key))}"))
                + (top.Count > 8 ? ", and other functions" : "");
            var evidence = new List<EvidenceRef>();
            evidence.AddRange(top.Take(options.Exemplars).Select(p => EvidenceRef.ForSpan(p.Value[0])));
            evidence.AddRange(top.Take(options.Exemplars).Select(p => EvidenceRef.ForFunction(p.Key)));
            (string brief, string what, Severity severity) = reason switch
            {
                Reason.ExceptionUnwind => ("unwound by an exception", "unwound by an exception", Severity.Low),
                Reason.MissingReturn => ("lost their RETURN", "closed without their RETURN when an outer frame returned (events lost?)", Severity.Low),
                // A recording that stopped while slices were open (DevTools, clean runs) says nothing went wrong; a killed
                // thread is the crash detector's finding.
                Reason.ThreadEnd => ("open at thread end", "still open when their thread's events stop, well before the trace ends", Severity.Info),
                Reason.TraceEnd => ("still running at trace end", "still running when the trace ends", Severity.Info),
                _ => ("returned without a traced call", "RETURN without a CALL (the call started before tracing)", Severity.Info),
            };
            string noun = total == 1 ? "call" : "calls";
            yield return new Finding(
                FindingKind.UnmatchedSpans,
                severity,
                $"{all} {noun} {brief}: {Name(trace, top[0].Key)}{(top.Count > 1 ? " and others" : "")}",
                $"{all} {noun} {what}: {breakdown}.",
                evidence,
                top[0].Key,
                total)
            { Figures = f.Figures };
        }
    }
}
