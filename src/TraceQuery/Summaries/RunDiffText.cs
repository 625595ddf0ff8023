using System.Globalization;
using TraceQuery.Analysis;
using TraceQuery.Fleet;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>
/// Renders a <see cref="RunDiff"/> as a headline and ranked lines: new errors and findings first (with their messages),
/// then changed functions by impact, sampled functions whose share of sampled CPU moved (largest move first), functions
/// that appear or vanish, errors and findings gone, and last the functions that did not change. Evidence names its run: <c>trace:&lt;name&gt; event:1:3001</c>.
/// </summary>
internal static class RunDiffText
{
    private const int NamesPerLine = 12;

    public static (string Headline, List<SummaryItem> Items, Dictionary<SummaryItemKind, long> Totals) Render(
        RunDiff diff, string baselineName, string candidateName, RunDiffOptions options)
    {
        string baseRef = "trace:" + baselineName, candidateRef = "trace:" + candidateName;
        int slower = diff.Changed.Count(c => c.IsRegression);
        int newErrors = diff.Errors.Count(e => e.IsNew), goneErrors = diff.Errors.Count(e => e.IsGone);
        string headline =
            $"# Diff of {candidateName} ({Size(diff.Candidate)}) against {baselineName} ({Size(diff.Baseline)}): "
            + $"{Plural(diff.Changed.Count, "function")} changed ({slower} slower or busier, {diff.Changed.Count - slower} faster or calmer), "
            + $"{Plural(newErrors, "new error")}, {Plural(goneErrors, "error")} gone, {Plural(diff.NewFindings.Count, "new finding")}, "
            + $"{TextFormat.Count(diff.Appeared.Count)} appear, {TextFormat.Count(diff.Vanished.Count)} vanish, {TextFormat.Count(diff.Unchanged.Count)} unchanged "
            + $"(a change is ≥ {Percent(options.MinRelativeChange)} and ≥ {TextFormat.Duration(options.MinAbsoluteChangeNs)} or {TextFormat.Count(options.MinCountChange)} calls, with ≥ {TextFormat.Count(options.MinCalls)} calls in both runs)";
        if (diff.Baseline.CpuSamples > 0 || diff.Candidate.CpuSamples > 0)
        {
            int busier = diff.SampledChanges.Count(c => c.IsRegression);
            headline += $"; stack samples: {Plural(diff.SampledChanges.Count, "sampled function")} moved ({busier} busier, {diff.SampledChanges.Count - busier} calmer; "
                + $"a move is ≥ {FleetText.Points(options.MinSampledShareChange)[1..]} of sampled CPU and ≥ {Percent(options.MinRelativeChange)} of the baseline share, with ≥ {TextFormat.Count(options.MinCpuSamples)} CPU samples in both runs)";
        }

        var items = new List<SummaryItem>();
        long findings = 0;
        foreach (var error in diff.Errors.Where(e => !e.IsGone && e.CandidateCount > e.BaselineCount))
        {
            items.Add(new SummaryItem(SummaryItemKind.Finding, Error(error, candidateRef), AnswerSections.DiffNew));
            findings++;
        }
        foreach (var finding in diff.NewFindings)
        {
            items.Add(new SummaryItem(SummaryItemKind.Finding, Finding("new", finding, candidateRef), AnswerSections.DiffNew));
            findings++;
        }
        foreach (var change in diff.Changed)
            items.Add(new SummaryItem(SummaryItemKind.Function, Changed(change, candidateRef), AnswerSections.DiffChanged));
        foreach (var change in diff.SampledChanges)
            items.Add(new SummaryItem(SummaryItemKind.Function, Sampled(change, change.StackInCandidate ? candidateRef : baseRef), AnswerSections.DiffSampled));
        foreach (var f in diff.Appeared)
            items.Add(new SummaryItem(SummaryItemKind.Function, $"- appears: {f.Name} ({f.Module}) ×{TextFormat.Count(f.Candidate!.Count)} · self {TextFormat.Duration(f.Candidate.SelfTotalNs)} · p50 {Duration(f.Candidate.P50Ns)} · {candidateRef} {EvidenceRef.ForFunction(f.Candidate.FunctionId)}", AnswerSections.DiffPresence));
        foreach (var f in diff.Vanished)
            items.Add(new SummaryItem(SummaryItemKind.Function, $"- vanishes: {f.Name} ({f.Module}) ×{TextFormat.Count(f.Baseline!.Count)} in the baseline · self {TextFormat.Duration(f.Baseline.SelfTotalNs)} · {baseRef} {EvidenceRef.ForFunction(f.Baseline.FunctionId)}", AnswerSections.DiffPresence));
        foreach (var error in diff.Errors.Where(e => e.IsGone || e.CandidateCount < e.BaselineCount))
        {
            items.Add(new SummaryItem(SummaryItemKind.Finding, Error(error, error.IsGone ? baseRef : candidateRef), AnswerSections.DiffGone));
            findings++;
        }
        foreach (var finding in diff.GoneFindings)
        {
            items.Add(new SummaryItem(SummaryItemKind.Finding, Finding("gone", finding, baseRef), AnswerSections.DiffGone));
            findings++;
        }
        foreach (var chunk in diff.Unchanged.Chunk(NamesPerLine))
        {
            items.Add(new SummaryItem(SummaryItemKind.Function,
                $"- unchanged: {string.Join(", ", chunk.Select(f => $"{f.Name} ×{TextFormat.Count(f.Baseline!.Count)}→{TextFormat.Count(f.Candidate!.Count)} p95 {Duration(f.Baseline.P95Ns)}→{Duration(f.Candidate.P95Ns)}"))}",
                AnswerSections.DiffUnchanged));
        }
        foreach (var chunk in diff.NotJudged.Chunk(NamesPerLine))
        {
            items.Add(new SummaryItem(SummaryItemKind.Function,
                $"- too few calls to judge (< {TextFormat.Count(options.MinCalls)} in a run): {string.Join(", ", chunk.Select(f => $"{f.Name} ×{TextFormat.Count(f.Baseline!.Count)}→{TextFormat.Count(f.Candidate!.Count)}"))}",
                AnswerSections.DiffUnchanged));
        }
        var totals = new Dictionary<SummaryItemKind, long>
        {
            [SummaryItemKind.Finding] = findings,
            [SummaryItemKind.Function] = items.Count - findings,
        };
        return (headline, items, totals);
    }

    private static string Size(RunFacts run) =>
        $"{TextFormat.Count(run.Events)} events, {TextFormat.Count(run.Spans)} spans, {TextFormat.Duration(run.DurationNs)}, {Plural(run.Errors, "error")}"
        + (run.CpuSamples > 0 ? $", {Plural(run.CpuSamples, "CPU sample")} ({TextFormat.Duration(run.SampledCpuNs)} sampled CPU)" : "");

    /// <summary>
    /// <c>- busier (sampled): F (module) self 12.0% → 83.3% of sampled CPU (+71.3 points; 40ms → 414ms), total 15.0% → 90.0% (…) · trace:x stack:7</c>.
    /// </summary>
    private static string Sampled(SampledChange change, string traceRef)
    {
        string word = change.Baseline is null ? "new in the samples" : change.Candidate is null ? "gone from the samples" : change.IsRegression ? "busier (sampled)" : "calmer (sampled)";
        string module = change.Module is { } m ? $" ({m})" : "";
        // A function that is never a leaf (a caller) has no self share in either run: its line gives the total share only.
        string self = change.BaselineSelfShare == 0 && change.CandidateSelfShare == 0 ? ""
            : $"self {FleetText.Share(change.BaselineSelfShare)} → {FleetText.Share(change.CandidateSelfShare)} of sampled CPU ({FleetText.Points(change.SelfShareDelta)}; "
            + $"{TextFormat.Duration(change.Baseline?.SelfNs ?? 0)} → {TextFormat.Duration(change.Candidate?.SelfNs ?? 0)}, {TextFormat.Count(change.Baseline?.SelfSamples ?? 0)} → {TextFormat.Count(change.Candidate?.SelfSamples ?? 0)} samples), ";
        string total = $"total {FleetText.Share(change.BaselineTotalShare)} → {FleetText.Share(change.CandidateTotalShare)}{(self.Length == 0 ? " of sampled CPU" : "")} ({FleetText.Points(change.TotalShareDelta)}; "
            + $"{TextFormat.Duration(change.Baseline?.TotalNs ?? 0)} → {TextFormat.Duration(change.Candidate?.TotalNs ?? 0)})";
        string evidence = change.Stack >= 0 ? $" · {traceRef} {EvidenceRef.ForStack(change.Stack)}" : $" · {traceRef}";
        return $"- {word}: {change.Name}{module} {self}{total}{evidence}";
    }

    private static string Error(ErrorChange error, string traceRef)
    {
        string what = error.IsNew ? "new error" : error.IsGone ? "gone error" : error.CandidateCount > error.BaselineCount ? "more errors" : "fewer errors";
        string message = error.Message.Length > 0 ? " " + TextFormat.Message(error.Message) : "";
        return $"- {what} in {error.Function} ({error.Module}){message}: ×{TextFormat.Count(error.BaselineCount)} → ×{TextFormat.Count(error.CandidateCount)} · first {traceRef} {error.Evidence}";
    }

    private static string Finding(string what, Finding finding, string traceRef) =>
        $"- {what} finding [{AnswerWords.Of(finding.Severity)}] {finding.Title}. {finding.Rationale} Evidence: {traceRef} {string.Join(' ', finding.Evidence)}";

    private static string Changed(FunctionChange change, string traceRef)
    {
        var top = change.Changes.MaxBy(c => Math.Abs(c.ImpactNs))!;
        string word = top.Metric == DiffMetric.Count
            ? (top.Delta > 0 ? "more calls" : "fewer calls")
            : (top.Delta > 0 ? "slower" : "faster");
        var parts = change.Changes.Select(c => c.Metric == DiffMetric.Count
            ? $"calls ×{TextFormat.Count((long)c.Baseline)} → ×{TextFormat.Count((long)c.Candidate)} ({Signed(c.Relative)})"
            : $"{MetricName(c.Metric)} {Duration(c.Baseline)} → {Duration(c.Candidate)} ({Signed(c.Relative)}, {(c.Delta >= 0 ? "+" : "-")}{Duration(Math.Abs(c.Delta))})");
        string calls = change.Changes.Any(c => c.Metric == DiffMetric.Count) ? "" : $"; calls ×{TextFormat.Count(change.Baseline!.Count)} → ×{TextFormat.Count(change.Candidate!.Count)}";
        return $"- {word}: {change.Name} ({change.Module}) {string.Join(", ", parts)}{calls} · {traceRef} {EvidenceRef.ForFunction(change.Candidate!.FunctionId)}";
    }

    private static string MetricName(DiffMetric metric) => metric switch
    {
        DiffMetric.P50 => "p50",
        DiffMetric.P95 => "p95",
        DiffMetric.Self => "self",
        _ => "calls",
    };

    private static string Duration(double ns) => TextFormat.Duration((long)Math.Round(ns));

    private static string Signed(double relative) =>
        double.IsInfinity(relative) ? "new" : (relative >= 0 ? "+" : "-") + Percent(Math.Abs(relative));

    private static string Percent(double share) =>
        Math.Round(share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Plural(long count, string noun) => TextFormat.Count(count) + " " + noun + (count == 1 ? "" : "s");
}
