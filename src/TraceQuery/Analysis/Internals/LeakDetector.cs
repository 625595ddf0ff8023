using TraceQuery.Text;
using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Leak-like imbalances: functions whose names differ only by a paired word (alloc/free, open/close,
/// lock/unlock, …, matched on identifier parts split at <c>_</c>, <c>.</c>, <c>::</c>, <c>-</c> and camelCase
/// boundaries) and whose call counts differ by more than the thresholds.
/// </summary>
internal static class LeakDetector
{
    private static readonly (string Open, string Close)[] Pairs =
    [
        ("alloc", "free"), ("malloc", "free"), ("calloc", "free"), ("open", "close"), ("acquire", "release"),
        ("lock", "unlock"), ("retain", "release"), ("begin", "end"), ("push", "pop"), ("connect", "disconnect"),
        ("create", "destroy"), ("new", "delete"), ("start", "stop"), ("enter", "exit"), ("ref", "unref"),
        ("register", "unregister"), ("subscribe", "unsubscribe"), ("attach", "detach"), ("map", "unmap"),
        ("mount", "unmount"), ("init", "deinit"), ("add", "remove"),
    ];

    public static IEnumerable<Finding> Detect(SpanStatistics stats, AnalyzerOptions options)
    {
        var trace = stats.Trace;
        var byKey = new Dictionary<string, int>(StringComparer.Ordinal);
        var parts = new List<string>[trace.FunctionIds.Length];
        for (int o = 0; o < parts.Length; o++)
        {
            parts[o] = IdentifierWords.Split(trace.GetFunctionName(o));
            byKey.TryAdd(string.Join('_', parts[o]), o);
        }

        var reported = new HashSet<(int, int)>();
        for (int a = 0; a < parts.Length; a++)
        {
            for (int i = 0; i < parts[a].Count; i++)
            {
                foreach (var (open, close) in Pairs)
                {
                    if (parts[a][i] != open)
                        continue;
                    var partner = new List<string>(parts[a]) { [i] = close };
                    if (!byKey.TryGetValue(string.Join('_', partner), out int b) || b == a || !reported.Add((a, b)))
                        continue;
                    long opened = stats.ByOrdinal[a]?.Count ?? 0;
                    long closed = stats.ByOrdinal[b]?.Count ?? 0;
                    long difference = opened - closed;
                    long larger = Math.Max(opened, closed);
                    if (Math.Abs(difference) < options.LeakMinimumDifference || Math.Abs(difference) < options.LeakMinimumShare * larger)
                        continue;
                    ulong fa = trace.FunctionIds[a], fb = trace.FunctionIds[b];
                    string nameA = trace.GetFunctionName(a), nameB = trace.GetFunctionName(b);
                    var f = new FigureSet();
                    var openedCalls = f.Calls("opened", fa, opened);
                    var closedCalls = f.Calls("closed", fb, closed);
                    var gap = difference > 0
                        ? f.Combine("difference", FigureMeasure.Count, FigureBasis.Difference, openedCalls, closedCalls)
                        : f.Combine("difference", FigureMeasure.Count, FigureBasis.Difference, closedCalls, openedCalls);
                    var largerCalls = f.Combine("larger count", FigureMeasure.Count, FigureBasis.Larger, openedCalls, closedCalls);
                    var part = f.Quotient("share", FigureMeasure.Share, gap, largerCalls)!.Value;
                    string verdict = difference > 0
                        ? $"{gap} {nameA} call{(difference == 1 ? "" : "s")} never matched by {nameB} (leak-like)"
                        : $"{gap} more {nameB} than {nameA} calls (double release or missing trace of {nameA})";
                    var evidence = new List<EvidenceRef> { EvidenceRef.ForFunction(fa), EvidenceRef.ForFunction(fb) };
                    var group = stats.Group(a);
                    for (int k = Math.Max(0, group.Length - options.Exemplars); k < group.Length; k++)
                        evidence.Add(EvidenceRef.ForSpan(group[k]));
                    yield return new Finding(
                        FindingKind.LeakImbalance,
                        Severity.Medium,
                        $"Imbalance {nameA}/{nameB}: {openedCalls} vs {closedCalls} calls",
                        $"{nameA} and {nameB} pair up ({open}/{close}) but their call counts differ: {verdict}. "
                        + $"Difference {gap} of {largerCalls} ({part}).",
                        evidence,
                        difference > 0 ? fa : fb,
                        (double)Math.Abs(difference) / larger)
                    { Figures = f.Figures };
                }
            }
        }
    }
}
