using TraceQuery.Model;
using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Hangs: calls whose self time (time not spent in traced children) is both long in absolute terms and a
/// large share of the trace; self time points at the frame that blocked rather than at its callers.
/// </summary>
internal static class HangDetector
{
    public static IEnumerable<Finding> Detect(SpanStatistics stats, AnalyzerOptions options, HashSet<int> hangSpans)
    {
        var trace = stats.Trace;
        var spans = stats.Spans;
        long traceSpan = Math.Max(1, trace.TimeEndNs - trace.TimeStartNs);
        long threshold = Math.Max(options.HangMinimumNs, (long)(options.HangMinimumShare * traceSpan));
        var byFunction = new SortedDictionary<ulong, List<int>>();
        var self = stats.SelfTimes;
        for (int s = 0; s < spans.Count; s++)
        {
            if (self[s] < threshold || !stats.IsIncluded(s) || spans.Statuses[s] == SpanStatus.OrphanReturn)
                continue;
            ulong fn = trace.GetFunctionId(spans.StartEvents[s]);
            if (!byFunction.TryGetValue(fn, out var list))
                byFunction[fn] = list = [];
            list.Add(s);
            hangSpans.Add(s);
        }

        foreach (var (fn, list) in byFunction)
        {
            list.Sort((a, b) => self[b] != self[a] ? self[b].CompareTo(self[a]) : a.CompareTo(b));
            int worst = list[0];
            bool open = spans.GetEndEvent(worst) < 0;
            var thread = trace.Threads[spans.GetThreadIndex(worst)];
            double share = (double)stats.Durations[worst] / traceSpan;
            var evidence = new List<EvidenceRef>();
            evidence.AddRange(list.Take(options.Exemplars).Select(EvidenceRef.ForSpan));
            evidence.Add(EvidenceRef.ForEvent(trace.GetEventRef(spans.StartEvents[worst])));
            evidence.Add(EvidenceRef.ForFunction(fn));
            string calls = list.Count == 1 ? "one call" : $"{Count(list.Count)} calls";
            yield return new Finding(
                FindingKind.Hang,
                Severity.High,
                $"Hang in {Name(trace, fn)}: {calls} blocked up to {Duration(stats.Durations[worst])} ({Percent(share)} of the trace)",
                $"span:{worst} on thread {thread.Id} {(open ? "was still running when the thread's events end" : "returned only")} after "
                + $"{Duration(stats.Durations[worst])}, {Duration(self[worst])} of it in {Name(trace, fn)} itself (not in traced callees); "
                + $"the threshold is {Duration(threshold)} (max of {Duration(options.HangMinimumNs)} and {Percent(options.HangMinimumShare)} of the {Duration(traceSpan)} trace).",
                evidence,
                fn,
                share);
        }
    }
}
