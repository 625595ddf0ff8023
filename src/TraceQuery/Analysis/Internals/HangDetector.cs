using TraceQuery.Model;
using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Long calls whose own time dominates: self time (time not spent in traced children) both long in absolute terms
/// and a large share of the trace, and at least half of the call's duration, so a root or envelope whose children do
/// the work is not one. Spans on async or device tracks and spans a producer marked as aggregates, envelopes or
/// pseudo-frames are never reported. The trace cannot tell CPU work from waiting, and the wording says so.
/// </summary>
internal static class HangDetector
{
    /// <summary>Producer marks that make a span a sum, a wrapper or a stand-in rather than a call of its own.</summary>
    public const SpanMarks NotACall = SpanMarks.Aggregate | SpanMarks.Envelope | SpanMarks.PseudoFrame;

    public static IEnumerable<Finding> Detect(SpanStatistics stats, AnalyzerOptions options, HashSet<int> hangSpans)
    {
        var trace = stats.Trace;
        var spans = stats.Spans;
        long traceLength = Math.Max(1, trace.TimeEndNs - trace.TimeStartNs);
        long threshold = Math.Max(options.HangMinimumNs, (long)(options.HangMinimumShare * traceLength));
        var byFunction = new SortedDictionary<ulong, List<int>>();
        var self = stats.SelfTimes;
        for (int s = 0; s < spans.Count; s++)
        {
            if (self[s] < threshold || 2 * self[s] < stats.Durations[s] || !stats.IsIncluded(s) || spans.Statuses[s] == SpanStatus.OrphanReturn
                || (spans.GetMarks(s) & NotACall) != 0 || spans.GetTrack(s) != SpanTrack.Thread)
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
            var f = new FigureSet();
            var duration = f.Span("duration", FigureMeasure.Duration, worst, stats.Durations[worst]);
            var length = f.TraceLength(traceLength);
            var share = f.Quotient("share of the trace", FigureMeasure.Share, duration, length)!.Value;
            var selfTime = f.Span("self time", FigureMeasure.SelfTime, worst, self[worst]);
            var minimum = f.Setting("minimum", FigureMeasure.Duration, options.HangMinimumNs);
            var minimumShare = f.Setting("minimum share", FigureMeasure.Share, options.HangMinimumShare);
            var shareOfLength = f.Combine("share of the trace length", FigureMeasure.Duration, FigureBasis.Product, minimumShare, length, printed: false);
            var limit = f.Combine("threshold", FigureMeasure.Duration, FigureBasis.Larger, minimum, shareOfLength);
            string calls = list.Count == 1 ? "one call" : $"{Count(list.Count)} calls, the longest";
            string itself = self[worst] == stats.Durations[worst] ? "all of it" : $"{selfTime} of it";
            var evidence = new List<EvidenceRef>();
            evidence.AddRange(list.Take(options.Exemplars).Select(EvidenceRef.ForSpan));
            evidence.Add(EvidenceRef.ForEvent(trace.GetEventRef(spans.StartEvents[worst])));
            evidence.Add(EvidenceRef.ForFunction(fn));
            yield return new Finding(
                FindingKind.Hang,
                Severity.High,
                $"Possible hang in {Name(trace, fn)} (blocked or busy): {calls} {duration} ({share} of the trace), {itself} in the function itself",
                $"span:{worst} on thread {thread.Id} {(open ? "was still running when the thread's events end" : "returned only")} after "
                + $"{duration}; {(self[worst] == stats.Durations[worst] ? "all of that time" : $"{selfTime} of self time")} was spent in {Name(trace, fn)} itself, not in traced callees. "
                + "The trace cannot tell CPU work from waiting. "
                + $"Reported because its self time reaches {limit} (the larger of {minimum} and {minimumShare} of the {length} trace) and is most of the call.",
                evidence,
                fn,
                share.Value)
            { Figures = f.Figures };
        }
    }
}
