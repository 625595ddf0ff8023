using TraceQuery.Model;
using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Hot spots: a function holding a dominant share of all calls or of all self time, with the same figures as the hot
/// list (<see cref="FunctionStats"/>). A function already reported as a long call is not reported again; functions a
/// producer marked as aggregates, envelopes or pseudo-frames, and async or device stages (not CPU time on a thread),
/// are never hot spots.
/// </summary>
internal static class HotSpotDetector
{
    public static IEnumerable<Finding> Detect(SpanStatistics stats, AnalyzerOptions options, HashSet<int> hangSpans)
    {
        var spans = stats.Spans;
        var hangFunctions = new HashSet<int>();
        foreach (int s in hangSpans)
            hangFunctions.Add(spans.GetFunctionOrdinal(s));
        long calls = 0, self = 0;
        foreach (var f in stats.ByOrdinal)
        {
            if (f is null)
                continue;
            calls += f.Count;
            self += f.SelfTotalNs;
        }
        if (calls == 0)
            yield break;
        foreach (var f in stats.ByOrdinal)
        {
            if (f is null || hangFunctions.Contains(f.Ordinal))
                continue;
            double callShare = (double)f.Count / calls;
            double selfShare = self == 0 ? 0 : (double)f.SelfTotalNs / self;
            if (callShare < options.HotSpotCallShare && selfShare < options.HotSpotSelfShare)
                continue;
            var group = stats.Group(f.Ordinal);
            if ((spans.GetMarks(group[0]) & HangDetector.NotACall) != 0 || spans.GetTrack(group[0]) != SpanTrack.Thread)
                continue;
            var figures = new FigureSet();
            var count = figures.Calls("calls", f.FunctionId, f.Count);
            var allCalls = figures.Calls("all calls", null, calls);
            var ownSelf = figures.Total("self time", FigureMeasure.SelfTime, f.FunctionId, f.SelfTotalNs);
            var allSelf = figures.Total("all self time", FigureMeasure.SelfTime, null, self);
            var callPart = figures.Quotient("share of calls", FigureMeasure.Share, count, allCalls)!.Value;
            var selfPart = figures.Quotient("share of self time", FigureMeasure.Share, ownSelf, allSelf);
            var p50 = figures.Percentile("p50", FigureMeasure.Duration, f.FunctionId, 0.5, f.P50Ns);
            var p99 = figures.Percentile("p99", FigureMeasure.Duration, f.FunctionId, 0.99, f.P99Ns);
            var evidence = new List<EvidenceRef> { EvidenceRef.ForFunction(f.FunctionId) };
            evidence.AddRange(group[..Math.Min(options.Exemplars, group.Length)].ToArray().Select(EvidenceRef.ForSpan));
            yield return new Finding(
                FindingKind.HotSpot,
                Severity.Info,
                $"Hot spot {f.Name}: {callPart} of calls" + (selfPart is { } sp ? $", {sp} of self time" : ""),
                $"{f.Name} ({f.Module}) was called {count} times out of {allCalls}; it spent {ownSelf} in itself "
                + $"out of {allSelf} of self time in all functions. Durations: p50 {p50}, p99 {p99}.",
                evidence,
                f.FunctionId,
                Math.Max(callShare, selfShare))
            { Figures = figures.Figures };
        }
    }
}
