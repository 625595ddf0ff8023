using System.Globalization;
using System.Text;
using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Summaries.Internals;

/// <summary>
/// Turns a trace, a selection and an analysis into the summary's headline and its ranked candidate
/// lines: findings by severity (crash first, with the open stack), hot functions with folded repeats,
/// a timeline sketch, then the matching events. Deterministic: invariant culture, stable order.
/// </summary>
internal static class NarrativeBuilder
{
    public const string FindingsSection = "## Findings";
    public const string FunctionsSection = "## Hot functions (self time)";
    public const string TimelineSection = "## Timeline";
    public const string EventsSection = "## Matching events";

    public static string Headline(Trace trace, TraceFilter filter, Selection selection, AnalysisResult analysis)
    {
        var text = new StringBuilder();
        string source = trace.Metadata.SourcePath is { } path ? Path.GetFileName(Path.TrimEndingDirectorySeparator(path)) : trace.Metadata.SourceFormat;
        text.Append("# Trace ").Append(source).Append(": ")
            .Append(TextFormat.Count(trace.EventCount)).Append(" events, ")
            .Append(TextFormat.Count(trace.Threads.Count)).Append(trace.Threads.Count == 1 ? " thread, " : " threads, ")
            .Append(TextFormat.Duration(trace.TimeEndNs - trace.TimeStartNs));
        if (filter.Root is not AllNode)
        {
            text.Append("; filter `").Append(filter.Canonical).Append("` matched ")
                .Append(TextFormat.Count(selection.Count)).Append(" events in ")
                .Append(TextFormat.Count(analysis.SpansAnalyzed)).Append(" spans");
        }
        int findings = analysis.Findings.Count;
        text.Append("; ").Append(findings == 0 ? "no anomalies found" : TextFormat.Count(findings) + (findings == 1 ? " finding" : " findings"));
        if (trace.WasRecovered)
            text.Append("; recovered from a damaged or unfinished recording");
        return text.ToString();
    }

    public static IEnumerable<SummaryItem> Items(Trace trace, Selection selection, AnalysisResult analysis, bool filtered, bool includeTimeline, int maxFindings)
    {
        foreach (var finding in analysis.Findings.Take(maxFindings))
            yield return new SummaryItem(SummaryItemKind.Finding, Render(finding), FindingsSection);

        foreach (var f in Analyzer.TopFunctions(analysis.Functions, FunctionMetric.Self, 12))
        {
            yield return new SummaryItem(SummaryItemKind.Function,
                $"- {f.Name} ({f.Module}) ×{TextFormat.Count(f.Count)} · self {TextFormat.Duration(f.SelfTotalNs)} · total {TextFormat.Duration(f.TotalNs)}"
                + $" · p50 {Duration(f.P50Ns)} · p99 {Duration(f.P99Ns)} · max {TextFormat.Duration(f.MaxNs)} · fn:0x{f.FunctionId.ToString("x16", CultureInfo.InvariantCulture)}",
                FunctionsSection);
        }

        if (includeTimeline)
        {
            foreach (string line in Timeline(trace, selection))
                yield return new SummaryItem(SummaryItemKind.Timeline, line, TimelineSection);
        }

        if (filtered)
        {
            foreach (int e in selection.Indices())
                yield return new SummaryItem(SummaryItemKind.Event, RenderEvent(trace, e), EventsSection);
        }
    }

    public static string Render(Finding finding) =>
        $"- [{SeverityName(finding.Severity)}] {finding.Title}. {finding.Rationale} Evidence: {string.Join(' ', finding.Evidence)}";

    public static string RenderEvent(Trace trace, int e)
    {
        string kind = (EventKind)trace.Kinds[e] switch
        {
            EventKind.Call => "call",
            EventKind.Return => "return",
            _ => "EXCEPTION",
        };
        var text = new StringBuilder();
        text.Append("- +").Append(TextFormat.Duration(trace.Timestamps[e] - trace.TimeStartNs)).Append(' ')
            .Append(trace.GetEventRef(e)).Append(' ').Append(kind).Append(' ')
            .Append(trace.GetFunctionName(trace.FunctionOrdinals[e])).Append(" depth ").Append(trace.Depths[e]);
        if ((EventKind)trace.Kinds[e] == EventKind.Return)
        {
            var spans = trace.Spans;
            int s = spans.SpanOfEvent[e];
            if (s >= 0 && spans.Statuses[s] == SpanStatus.Complete)
                text.Append(" after ").Append(TextFormat.Duration(spans.GetDuration(s))).Append(" span:").Append(s);
        }
        return text.ToString();
    }

    /// <summary>Ten equal time slices: how many (selected) events, the busiest function, exceptions.</summary>
    private static IEnumerable<string> Timeline(Trace trace, Selection selection)
    {
        const int Slices = 10;
        if (selection.Count == 0)
            yield break;
        long span = Math.Max(1, trace.TimeEndNs - trace.TimeStartNs);
        int functions = trace.FunctionIds.Length;
        var (counts, exceptions, perFunction) = Tally(trace, selection, Slices, span);
        for (int i = 0; i < Slices; i++)
        {
            long from = span * i / Slices, to = span * (i + 1) / Slices;
            var text = new StringBuilder();
            text.Append("- ").Append(TextFormat.Duration(from)).Append("–").Append(TextFormat.Duration(to)).Append(": ");
            if (counts[i] == 0)
            {
                text.Append("no events");
            }
            else
            {
                int busiest = 0;
                var row = perFunction.AsSpan(i * functions, functions);
                for (int f = 1; f < functions; f++)
                {
                    if (row[f] > row[busiest])
                        busiest = f;
                }
                text.Append(TextFormat.Count(counts[i])).Append(" events, mostly ").Append(trace.GetFunctionName(busiest))
                    .Append(" (").Append(TextFormat.Count(row[busiest])).Append(')');
                if (exceptions[i] > 0)
                    text.Append(", ").Append(TextFormat.Count(exceptions[i])).Append(exceptions[i] == 1 ? " exception" : " exceptions");
            }
            yield return text.ToString();
        }
    }

    /// <summary>Events, exceptions and per-function counts per time slice, with dense arrays (no hashing per event).</summary>
    private static (long[] Counts, long[] Exceptions, long[] PerFunction) Tally(Trace trace, Selection selection, int slices, long span)
    {
        int functions = trace.FunctionIds.Length;
        var counts = new long[slices];
        var exceptions = new long[slices];
        var perFunction = new long[slices * functions];
        var timestamps = trace.Timestamps;
        var kinds = trace.Kinds;
        var ordinals = trace.FunctionOrdinals;
        long start = trace.TimeStartNs;
        bool all = selection.Count == selection.Length;
        using var selected = all ? null : selection.Indices().GetEnumerator();
        for (int next = 0; ; next++)
        {
            int e;
            if (all)
            {
                if (next >= selection.Length)
                    break;
                e = next;
            }
            else
            {
                if (!selected!.MoveNext())
                    break;
                e = selected.Current;
            }
            int slice = (int)Math.Min(slices - 1, (long)((Int128)(timestamps[e] - start) * slices / span));
            counts[slice]++;
            if (kinds[e] == (byte)EventKind.Exception)
                exceptions[slice]++;
            perFunction[(slice * functions) + ordinals[e]]++;
        }
        return (counts, exceptions, perFunction);
    }

    private static string Duration(double ns) => TextFormat.Duration((long)Math.Round(ns));

    private static string SeverityName(Severity severity) => severity switch
    {
        Severity.Critical => "critical",
        Severity.High => "high",
        Severity.Medium => "medium",
        Severity.Low => "low",
        _ => "info",
    };
}
