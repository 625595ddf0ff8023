using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Sampled hot spots: the functions that are the leaf of the largest shares of the sampled CPU time, each with the
/// caller it is mostly reached from (<c>"63% of sampled CPU under loadConfig &gt; JSON.parse"</c>). Waiting samples are
/// not CPU, and V8's <c>(program)</c>, <c>(idle)</c> and <c>(root)</c> pseudo-frames are not code to fix.
/// </summary>
internal static class SampledHotSpotDetector
{
    private static readonly HashSet<string> NotCode = new(StringComparer.Ordinal) { "(program)", "(idle)", "(root)" };

    public static IEnumerable<Finding> Detect(SampledProfile profile, AnalyzerOptions options)
    {
        if (profile.CpuNs <= 0)
            yield break;
        int reported = 0;
        foreach (var f in profile.Functions)
        {
            if (reported >= options.MaxSampledHotSpots)
                yield break;
            if (NotCode.Contains(f.Name))
                continue;
            double share = (double)f.SelfNs / profile.CpuNs;
            if (share < options.SampledHotSpotShare)
                yield break; // Functions come by self time, descending.
            reported++;
            SampledPath? heaviest = null;
            foreach (var path in profile.Paths)
            {
                if (path.Frames[^1] == f.Name)
                {
                    heaviest = path;
                    break;
                }
            }
            string? caller = heaviest is { Frames.Count: >= 2 } ? heaviest.Frames[^2] : null;
            var fig = new FigureSet();
            var cpu = fig.Sampled("sampled CPU", FigureMeasure.SampledTime, FigureBasis.SampledCpu, profile.CpuNs);
            var self = fig.Sampled("self", FigureMeasure.SampledTime, FigureBasis.SampledLeaf, f.SelfNs, frames: [f.Name]);
            var selfShare = fig.Quotient("share", FigureMeasure.Share, self, cpu)!.Value;
            string title;
            if (caller is not null && caller != f.Name)
            {
                var under = fig.Sampled("under caller", FigureMeasure.SampledTime, FigureBasis.SampledUnder, profile.WeightUnder(caller, f.Name), frames: [caller, f.Name], printed: false);
                title = $"{fig.Quotient("share under caller", FigureMeasure.Share, under, cpu)} of sampled CPU under {caller} > {f.Name} ({selfShare} in {f.Name} itself)";
            }
            else
            {
                title = $"{selfShare} of sampled CPU in {f.Name} itself";
            }
            string where = f.Module is { } module ? $"{f.Name} ({module})" : f.Name;
            var selfSamples = fig.Sampled("self samples", FigureMeasure.Count, FigureBasis.SampledLeaf, f.SelfSamples, frames: [f.Name]);
            var totalSamples = fig.Sampled("total samples", FigureMeasure.Count, FigureBasis.SampledOnStack, f.TotalSamples, frames: [f.Name]);
            var total = fig.Sampled("total", FigureMeasure.SampledTime, FigureBasis.SampledOnStack, f.TotalNs, frames: [f.Name]);
            string rationale = $"{where} was the leaf of {selfSamples} CPU sample{(f.SelfSamples == 1 ? "" : "s")} ({self} self of {cpu} sampled CPU) "
                + $"and on the stack of {totalSamples} ({total} total)";
            if (heaviest is not null)
                rationale += $"; heaviest path {string.Join(" > ", Tail(heaviest.Frames, 6))} ({fig.Sampled("heaviest path", FigureMeasure.SampledTime, FigureBasis.SampledPath, heaviest.WeightNs, frames: heaviest.Frames)})";
            rationale += profile.WaitingSamples > 0
                ? $". {fig.Sampled("waiting samples", FigureMeasure.Count, FigureBasis.SampledWaiting, profile.WaitingSamples)} waiting sample{(profile.WaitingSamples == 1 ? "" : "s")} "
                    + $"({fig.Sampled("waiting", FigureMeasure.SampledTime, FigureBasis.SampledWaiting, profile.WaitingNs)}) are not counted as CPU."
                : ".";
            yield return new Finding(FindingKind.SampledHotSpot, Severity.Info, title, rationale, Evidence(heaviest), null, share) { Figures = fig.Figures };
        }
    }

    /// <summary>
    /// A path's evidence: its heaviest distinct stack (<c>stack:&lt;id&gt;</c>: every frame with module and line, and its
    /// samples) and the first CPU sample on it (<c>sample:&lt;index&gt;</c>: time, thread, state); both resolve with events.get.
    /// </summary>
    internal static EvidenceRef[] Evidence(SampledPath? path) => path is { Stack: >= 0, FirstSample: >= 0 }
        ? [EvidenceRef.ForStack(path.Stack), EvidenceRef.ForSample(path.FirstSample)]
        : [];

    /// <summary>True for V8's <c>(program)</c>, <c>(idle)</c> and <c>(root)</c>: pseudo-frames, not code to fix.</summary>
    internal static bool IsPseudoFrame(string name) => NotCode.Contains(name);

    /// <summary>The last <paramref name="count"/> frames, with an ellipsis for the ones left out.</summary>
    internal static IEnumerable<string> Tail(IReadOnlyList<string> frames, int count) =>
        frames.Count <= count ? frames : ["…", .. frames.Skip(frames.Count - count)];
}
