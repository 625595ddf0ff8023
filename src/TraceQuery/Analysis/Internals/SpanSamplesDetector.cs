using TraceQuery.Model;
using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// What the longest spans were doing, said by the stack samples taken on their thread while they ran: for a trace that
/// has both spans and samples, the longest spans (at most <see cref="AnalyzerOptions.MaxSampledHotSpots"/>) with at
/// least <see cref="MinSamples"/> CPU samples inside get a finding naming the function most of those samples were in.
/// </summary>
internal static class SpanSamplesDetector
{
    /// <summary>Fewer CPU samples inside a span than this say too little to report.</summary>
    public const int MinSamples = 5;

    /// <summary>How many of the longest spans are looked at.</summary>
    private const int Candidates = 64;

    public static IEnumerable<Finding> Detect(SpanStatistics stats, AnalyzerOptions options)
    {
        var trace = stats.Trace;
        var spans = stats.Spans;
        if (trace.Samples.Count == 0 || spans.Count == 0)
            yield break;
        var sampledThreads = new HashSet<uint>();
        foreach (uint thread in trace.Samples.ThreadIds)
            sampledThreads.Add(thread);
        var durations = spans.Durations;
        var candidates = new List<int>();
        for (int s = 0; s < spans.Count; s++)
        {
            if (stats.IsIncluded(s) && durations[s] > 0 && sampledThreads.Contains(trace.Threads[spans.GetThreadIndex(s)].Id))
                candidates.Add(s);
        }
        var durationsCopy = durations.ToArray();
        candidates.Sort((a, b) =>
        {
            int c = durationsCopy[b].CompareTo(durationsCopy[a]);
            return c != 0 ? c : a.CompareTo(b);
        });
        int reported = 0;
        foreach (int s in candidates.Take(Candidates))
        {
            if (reported >= options.MaxSampledHotSpots)
                yield break;
            uint threadId = trace.Threads[spans.GetThreadIndex(s)].Id;
            var profile = SampledProfile.Compute(trace, new SampleScope { ThreadId = threadId, StartNs = spans.GetStartTime(s), EndNs = spans.GetEndTime(s) });
            if (profile.CpuSamples < MinSamples || profile.CpuNs <= 0)
                continue;
            var top = profile.Functions.FirstOrDefault(f => !SampledHotSpotDetector.IsPseudoFrame(f.Name));
            if (top is null)
                continue;
            reported++;
            double share = (double)top.SelfNs / profile.CpuNs;
            ulong functionId = trace.GetFunctionId(spans.StartEvents[s]);
            string name = Name(trace, functionId);
            var heaviest = profile.Paths[0];
            var fig = new FigureSet();
            var length = fig.Span("duration", FigureMeasure.Duration, s, durationsCopy[s]);
            var cpu = fig.Sampled("sampled CPU", FigureMeasure.SampledTime, FigureBasis.SampledCpu, profile.CpuNs, s);
            var self = fig.Sampled("leaf", FigureMeasure.SampledTime, FigureBasis.SampledLeaf, top.SelfNs, s, [top.Name]);
            var topShare = fig.Quotient("share", FigureMeasure.Share, self, cpu)!.Value;
            var cpuSamples = fig.Sampled("CPU samples", FigureMeasure.Count, FigureBasis.SampledCpu, profile.CpuSamples, s);
            string waiting = profile.WaitingSamples > 0
                ? $"; {fig.Sampled("waiting samples", FigureMeasure.Count, FigureBasis.SampledWaiting, profile.WaitingSamples, s)} waiting sample{(profile.WaitingSamples == 1 ? "" : "s")} "
                    + $"({fig.Sampled("waiting", FigureMeasure.SampledTime, FigureBasis.SampledWaiting, profile.WaitingNs, s)}) are not CPU"
                : "";
            var total = fig.Sampled("on the stack", FigureMeasure.SampledTime, FigureBasis.SampledOnStack, top.TotalNs, s, [top.Name]);
            var path = fig.Sampled("heaviest path", FigureMeasure.SampledTime, FigureBasis.SampledPath, heaviest.WeightNs, s, heaviest.Frames);
            yield return new Finding(
                FindingKind.SampledHotSpot,
                Severity.Info,
                $"Inside {name} ({length}): {topShare} of its sampled CPU ({cpuSamples} samples) in {top.Name}",
                $"The stack samples on thread {threadId} while span:{s} ran hold {cpu} of sampled CPU{waiting}; {top.Name} was the leaf for "
                + $"{self} and on the stack for {total}; heaviest path {string.Join(" > ", SampledHotSpotDetector.Tail(heaviest.Frames, 6))} ({path}).",
                [EvidenceRef.ForSpan(s), EvidenceRef.ForFunction(functionId), .. SampledHotSpotDetector.Evidence(heaviest)],
                functionId,
                share)
            { Figures = fig.Figures };
        }
    }
}
