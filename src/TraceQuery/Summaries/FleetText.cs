using System.Globalization;
using TraceQuery.Analysis;
using TraceQuery.Fleet;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>
/// Renders a <see cref="FleetReport"/> as a headline and ranked lines: findings grouped by culprit (failures first), the
/// hot functions whose p95 differs most between traces, the sampled functions whose share of sampled CPU differs most,
/// outlier traces, then one line per trace (failed ones first).
/// Evidence names its trace: <c>trace:&lt;name&gt; event:1:3001</c>.
/// </summary>
internal static class FleetText
{
    private const int NamedTraces = 5;

    public static (string Headline, List<SummaryItem> Items, Dictionary<SummaryItemKind, long> Totals) Render(FleetReport report, string setName, string prefix)
    {
        int total = report.Traces.Count;
        int crashed = report.Traces.Count(t => t.ReadError is null && t.Failed);
        int unreadable = report.Traces.Count(t => t.ReadError is not null);
        long errors = report.Traces.Sum(t => t.Errors);
        string headline = $"# Fleet of {TextFormat.Count(total)} {(total == 1 ? "trace" : "traces")} in {setName}: {TextFormat.Count(report.Failed)} failed ({TextFormat.Count(crashed)} crashed, {TextFormat.Count(unreadable)} unreadable), "
            + $"{TextFormat.Count(report.Events)} events, {TextFormat.Count(errors)} {(errors == 1 ? "error" : "errors")}"
            + (report.Filter is { } filter ? $"; filter `{filter}` matched {TextFormat.Count(report.EventsMatched)} events" : "")
            + $"; {TextFormat.Count(report.Groups.Count)} kinds of finding, {TextFormat.Count(report.Outliers.Count)} outlier {(report.Outliers.Count == 1 ? "trace" : "traces")}";

        var items = new List<SummaryItem>();
        if (unreadable > 0)
        {
            var names = report.Traces.Where(t => t.ReadError is not null).ToList();
            items.Add(new SummaryItem(SummaryItemKind.Finding,
                $"- unreadable: {TextFormat.Count(names.Count)} of {TextFormat.Count(total)} runs; first {prefix}{names[0].Name}: {names[0].ReadError}{Others(names.Select(n => n.Name).ToList(), prefix)}",
                AnswerSections.FleetGroups));
        }
        foreach (var group in report.Groups)
            items.Add(new SummaryItem(SummaryItemKind.Finding, Group(group, total, prefix), AnswerSections.FleetGroups));
        foreach (var spread in report.Spreads)
        {
            items.Add(new SummaryItem(SummaryItemKind.Function,
                $"- {spread.Name} ({spread.Module}) in {TextFormat.Count(spread.Traces)} runs, self {TextFormat.Duration(spread.SelfTotalNs)} in all: p95 median {Duration(spread.MedianP95Ns)}, "
                + $"highest {Duration(spread.HighestP95Ns)} in {prefix}{spread.HighestTrace} ({Times(spread.Ratio)}), lowest {Duration(spread.LowestP95Ns)} in {prefix}{spread.LowestTrace} "
                + $"· trace:{prefix}{spread.HighestTrace} {EvidenceRef.ForFunction(spread.FunctionId)}",
                AnswerSections.FleetSpreads));
        }
        foreach (var spread in report.SampledSpreads)
        {
            string module = spread.Module is { } m ? $" ({m})" : "";
            string evidence = spread.HighestStack >= 0 ? " " + EvidenceRef.ForStack(spread.HighestStack) : "";
            items.Add(new SummaryItem(SummaryItemKind.Function,
                $"- {spread.Name}{module} sampled in {TextFormat.Count(spread.SampledIn)} of {TextFormat.Count(spread.Traces)} sampled runs, self {TextFormat.Duration(spread.SelfNs)} in all: "
                + $"self share of sampled CPU median {Share(spread.MedianSelfShare)}, highest {Share(spread.HighestSelfShare)} in {prefix}{spread.HighestTrace} ({Points(spread.Excess)} over the median), "
                + $"lowest {Share(spread.LowestSelfShare)} in {prefix}{spread.LowestTrace} · trace:{prefix}{spread.HighestTrace}{evidence}",
                AnswerSections.FleetSampledSpreads));
        }
        foreach (var outlier in report.Outliers)
        {
            string what = outlier.Metric switch
            {
                OutlierMetric.Errors => $"{TextFormat.Count((long)outlier.Value)} errors (median {TextFormat.Count((long)outlier.Median)})",
                OutlierMetric.LongDuration => $"lasts {TextFormat.Duration((long)outlier.Value)}, {Times(outlier.Value / outlier.Median)} the median {TextFormat.Duration((long)outlier.Median)}",
                _ => $"lasts only {TextFormat.Duration((long)outlier.Value)}, {Times(outlier.Value / outlier.Median)} the median {TextFormat.Duration((long)outlier.Median)}",
            };
            items.Add(new SummaryItem(SummaryItemKind.Timeline, $"- {prefix}{outlier.Trace}: {what} · trace:{prefix}{outlier.Trace}", AnswerSections.FleetOutliers));
        }
        foreach (var digest in report.Traces.Where(t => t.Failed).Concat(report.Traces.Where(t => !t.Failed)))
            items.Add(new SummaryItem(SummaryItemKind.Event, TraceLine(digest, prefix), AnswerSections.FleetTraces));
        var totals = new Dictionary<SummaryItemKind, long>
        {
            [SummaryItemKind.Finding] = items.Count(i => i.Kind == SummaryItemKind.Finding),
            [SummaryItemKind.Function] = report.Spreads.Count + report.SampledSpreads.Count,
            [SummaryItemKind.Timeline] = report.Outliers.Count,
            [SummaryItemKind.Event] = report.Traces.Count,
        };
        return (headline, items, totals);
    }

    private static string Group(FailureGroup group, int total, string prefix)
    {
        var first = group.First;
        string culprit = group.Function is null ? first.Finding.Title : $"{group.Function} ({group.Module})";
        string evidence = string.Join(' ', first.Finding.Evidence.Take(3));
        return $"- [{AnswerWords.Of(group.Severity)}] {AnswerWords.Of(group.Kind)} in {culprit}: {TextFormat.Count(group.Traces.Count)} of {TextFormat.Count(total)} runs; "
            + $"first in {prefix}{first.Trace}: {first.Finding.Title} · trace:{prefix}{first.Trace} {evidence}{Others(group.Traces, prefix)}";
    }

    private static string Others(IReadOnlyList<string> traces, string prefix)
    {
        if (traces.Count <= 1)
            return "";
        var named = traces.Skip(1).Take(NamedTraces).Select(t => prefix + t);
        int rest = traces.Count - 1 - NamedTraces;
        return " · also " + string.Join(", ", named) + (rest > 0 ? $" (+{TextFormat.Count(rest)} more)" : "");
    }

    private static string TraceLine(TraceDigest digest, string prefix)
    {
        if (digest.ReadError is not null)
            return $"- {prefix}{digest.Name}: unreadable: {digest.ReadError}";
        var crash = digest.Findings.FirstOrDefault(f => f.Finding.Severity == Severity.Critical);
        string state = crash is null ? "ok" : $"crashed in {crash.Function ?? crash.Finding.Title}";
        string sampled = "";
        if (digest.Sampled is { } s)
        {
            var top = s.Functions.Count > 0 ? s.Functions[0] : null;
            sampled = $" · {TextFormat.Count(s.CpuSamples)} CPU samples ({TextFormat.Duration(s.CpuNs)})" + (top is null ? "" : $", top {top.Name} {Share(s.SelfShare(top))} self");
        }
        return $"- {prefix}{digest.Name}: {state} · {TextFormat.Count(digest.Events)} events · {TextFormat.Duration(digest.DurationNs)} · "
            + $"{TextFormat.Count(digest.Errors)} {(digest.Errors == 1 ? "error" : "errors")} · {TextFormat.Count(digest.Findings.Count)} {(digest.Findings.Count == 1 ? "finding" : "findings")}{sampled}";
    }

    private static string Duration(double ns) => TextFormat.Duration((long)Math.Round(ns));

    /// <summary>A share (0–1) as a percentage with one decimal: <c>83.3%</c>.</summary>
    internal static string Share(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A difference of shares in percentage points: <c>+42.1 points</c>.</summary>
    internal static string Points(double delta) => (delta >= 0 ? "+" : "-") + (Math.Abs(delta) * 100).ToString("0.0", CultureInfo.InvariantCulture) + " points";

    private static string Times(double ratio) =>
        double.IsInfinity(ratio) ? "∞×" : ratio.ToString(ratio >= 10 ? "0" : "0.0", CultureInfo.InvariantCulture) + "×";
}
