using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Hot spots: a function holding a dominant share of all calls or of all self time. Time spent in calls
/// already reported as hangs is left out, so a hang is not reported a second time as a hot spot.
/// </summary>
internal static class HotSpotDetector
{
    public static IEnumerable<Finding> Detect(SpanStatistics stats, AnalyzerOptions options, HashSet<int> hangSpans)
    {
        var hangSelf = new Dictionary<int, long>();
        foreach (int s in hangSpans)
        {
            int ordinal = stats.Spans.GetFunctionOrdinal(s);
            hangSelf[ordinal] = hangSelf.GetValueOrDefault(ordinal) + stats.SelfTimes[s];
        }
        long SelfOf(FunctionStats f) => Math.Max(0, f.SelfTotalNs - hangSelf.GetValueOrDefault(f.Ordinal));
        long calls = 0, self = 0;
        foreach (var f in stats.ByOrdinal)
        {
            if (f is null)
                continue;
            calls += f.Count;
            self += SelfOf(f);
        }
        if (calls == 0)
            yield break;
        foreach (var f in stats.ByOrdinal)
        {
            if (f is null)
                continue;
            double callShare = (double)f.Count / calls;
            double selfShare = self == 0 ? 0 : (double)SelfOf(f) / self;
            if (callShare < options.HotSpotCallShare && selfShare < options.HotSpotSelfShare)
                continue;
            var evidence = new List<EvidenceRef> { EvidenceRef.ForFunction(f.FunctionId) };
            var group = stats.Group(f.Ordinal);
            evidence.AddRange(group[..Math.Min(options.Exemplars, group.Length)].ToArray().Select(EvidenceRef.ForSpan));
            yield return new Finding(
                FindingKind.HotSpot,
                Severity.Info,
                $"Hot spot {f.Name}: {Percent(callShare)} of calls, {Percent(selfShare)} of self time",
                $"{f.Name} ({f.Module}) was called {Count(f.Count)} times out of {Count(calls)} and spent {Duration(SelfOf(f))} in itself "
                + $"out of {Duration(self)} of self time in all functions; p50 {Duration(f.P50Ns)}, p99 {Duration(f.P99Ns)}.",
                evidence,
                f.FunctionId,
                Math.Max(callShare, selfShare));
        }
    }
}
