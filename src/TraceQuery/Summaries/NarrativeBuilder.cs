using System.Globalization;
using System.Text;
using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>
/// Turns a trace, a selection and an analysis into the summary's headline and its ranked candidate
/// lines: findings by severity (crash first, with the open stack), hot functions with folded repeats,
/// a timeline sketch, then the matching events. Deterministic: invariant culture, stable order.
/// </summary>
internal static class NarrativeBuilder
{
    public static string Headline(ExecutionTrace trace, EventFilter filter, Selection selection, AnalysisResult analysis)
    {
        var text = new StringBuilder();
        string source = trace.Metadata.SourcePath is { } path ? Path.GetFileName(Path.TrimEndingDirectorySeparator(path)) : trace.Metadata.SourceFormat;
        text.Append("# Trace ").Append(source).Append(": ")
            .Append(TraceText.Count(trace.EventCount)).Append(" events, ")
            .Append(TraceText.Count(trace.Threads.Count)).Append(trace.Threads.Count == 1 ? " thread, " : " threads, ");
        if (trace.Samples.Count > 0)
            text.Append(TraceText.Count(trace.Samples.Count)).Append(" stack samples, ");
        text
            .Append(TraceText.Duration(trace.TimeEndNs - trace.TimeStartNs));
        if (filter.Root is not AllNode)
        {
            text.Append("; filter `").Append(filter.Canonical).Append("` matched ")
                .Append(TraceText.Count(selection.Count)).Append(" events in ")
                .Append(TraceText.Count(analysis.SpansAnalyzed)).Append(" spans");
        }
        if (ProcessEnd(trace) is { } end)
            text.Append("; ").Append(end);
        int findings = analysis.Findings.Count;
        text.Append("; ").Append(findings > 0 ? TraceText.Count(findings) + (findings == 1 ? " finding" : " findings")
            : trace.EventCount > 0 ? "no anomalies found"
            : trace.Metadata.CpuSamples > 0 ? $"the file holds {TraceText.Count(trace.Metadata.CpuSamples)} CPU samples and no spans (call findings need spans)"
            : "the file holds no spans or call events");
        if (trace.WasRecovered)
            text.Append("; recovered from a damaged or unfinished recording");
        return text.ToString();
    }

    /// <summary>
    /// How an ATF session's process ended, when not normally: killed while tracing (no manifest.json, threads without
    /// footer) or while stopping (a manifest, but threads never finalized); null for a finished session or another source.
    /// </summary>
    private static string? ProcessEnd(ExecutionTrace trace)
    {
        if (trace.Metadata.SourceFormat != "atf")
            return null;
        var cut = new List<uint>();
        foreach (var thread in trace.Threads)
        {
            if (!thread.Recovery.IndexFinalized)
                cut.Add(thread.Id);
        }
        string threads = cut.Count == 1 ? "thread " + cut[0].ToString(CultureInfo.InvariantCulture) : "threads " + string.Join(", ", cut);
        if (!trace.Metadata.ManifestPresent)
            return $"the process was killed while tracing (no manifest.json; {TraceText.Count(cut.Count)} of {TraceText.Count(trace.Threads.Count)} threads stopped without a footer)";
        return cut.Count == 0 ? null : $"the process died while stopping the session ({threads} never finalized)";
    }

    /// <summary>
    /// The candidate lines in rank order. <paramref name="exemplarsOf"/> and <paramref name="timelineOf"/> may supply
    /// values computed earlier (the façade shares the whole trace's per trace); null computes them here.
    /// </summary>
    public static IEnumerable<SummaryItem> Items(ExecutionTrace trace, Selection selection, AnalysisResult analysis, bool filtered, bool includeTimeline, int maxFindings,
        Func<IReadOnlyList<FunctionStats>, SpanExemplars?[]>? exemplarsOf = null, Func<IReadOnlyList<string>>? timelineOf = null, EventFilter? filter = null)
    {
        foreach (var finding in analysis.Findings.Take(maxFindings))
            yield return new SummaryItem(SummaryItemKind.Finding, Render(finding), AnswerSections.Findings);

        var top = Analyzer.TopFunctions(analysis.Functions, FunctionMetric.Self, 12);
        // Each line folds a function's calls: the exemplars name real spans (fastest … slowest) to fetch with events.get.
        var exemplars = exemplarsOf?.Invoke(top) ?? SpanExemplars.ForFunctions(trace, top, filtered ? selection : null);
        for (int i = 0; i < top.Count; i++)
        {
            var f = top[i];
            yield return new SummaryItem(SummaryItemKind.Function,
                $"- {f.Name} ({f.Module}) ×{TraceText.Count(f.Count)} · self {TraceText.Duration(f.SelfTotalNs)} · total {TraceText.Duration(f.TotalNs)}"
                + $" · p50 {TraceText.Duration(f.P50Ns)} · p99 {TraceText.Duration(f.P99Ns)} · max {TraceText.Duration(f.MaxNs)} · fn:0x{f.FunctionId.ToString("x16", CultureInfo.InvariantCulture)}"
                + (exemplars[i] is { } x ? " · " + x : ""),
                AnswerSections.HotFunctions);
        }

        if (trace.Samples.Count > 0)
        {
            var profile = SampledProfile.Shared(trace, CancellationToken.None);
            if (filtered && filter is not null)
            {
                var included = SampleFilter.Evaluate(filter, trace);
                int matched = included.Count(static x => x);
                yield return new SummaryItem(SummaryItemKind.Function,
                    $"- the filter selects {TraceText.Count(matched)} of {TraceText.Count(trace.Samples.Count)} samples (thread, time, fn:/module: on any frame, words)", AnswerSections.SampledCpu);
                profile = SampledProfile.Compute(trace, null, included);
            }
            foreach (string line in SampledLines(profile))
                yield return new SummaryItem(SummaryItemKind.Function, line, AnswerSections.SampledCpu);
        }

        if (includeTimeline)
        {
            foreach (string line in timelineOf?.Invoke() ?? Timeline(trace, selection))
                yield return new SummaryItem(SummaryItemKind.Timeline, line, AnswerSections.Timeline);
        }

        if (filtered)
        {
            foreach (int e in selection.Indices())
                yield return new SummaryItem(SummaryItemKind.Event, TraceText.Event(trace, e), AnswerSections.MatchingEvents);
        }
    }

    /// <summary>
    /// The sampled CPU lines: totals, the top functions by sampled self time (with total time and share), then the
    /// heaviest folded stacks (last frames only, so a deep stack stays one short line) with their heaviest distinct stack
    /// (<c>stack:&lt;id&gt;</c>, which events.get resolves to every frame).
    /// </summary>
    internal static IEnumerable<string> SampledLines(SampledProfile profile, int functions = 10, int paths = 5)
    {
        string waiting = profile.WaitingSamples > 0
            ? $"; {TraceText.Count(profile.WaitingSamples)} waiting samples ({TraceText.Duration(profile.WaitingNs)}), not CPU"
            : "";
        yield return $"- {TraceText.Count(profile.CpuSamples)} CPU samples, {TraceText.Duration(profile.CpuNs)} sampled CPU{waiting}";
        if (profile.CpuNs <= 0)
            yield break;
        foreach (var f in profile.TopBySelf(functions))
        {
            yield return $"- {f.Name}{(f.Module is { } m ? " (" + m + ")" : "")} · self {TraceText.Duration(f.SelfNs)} ({Share(f.SelfNs, profile.CpuNs)})"
                + $" · total {TraceText.Duration(f.TotalNs)} ({Share(f.TotalNs, profile.CpuNs)}) · {TraceText.Count(f.SelfSamples)}/{TraceText.Count(f.TotalSamples)} samples";
        }
        foreach (var path in profile.Paths.Take(paths))
        {
            var frames = path.Frames.Count <= 8 ? path.Frames : ["…", .. path.Frames.Skip(path.Frames.Count - 8)];
            string evidence = path.Stack >= 0 ? " · " + EvidenceRef.ForStack(path.Stack) : "";
            yield return $"- hot path {Share(path.WeightNs, profile.CpuNs)}: {string.Join(" > ", frames)} ({TraceText.Duration(path.WeightNs)}, {TraceText.Count(path.Samples)} samples){evidence}";
        }
    }

    private static string Share(long part, long whole) =>
        (whole <= 0 ? 0 : part * 100.0 / whole).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public static string Render(Finding finding) => finding.Evidence.Count == 0
        ? $"- [{SeverityName(finding.Severity)}] {finding.Title}. {finding.Rationale}"
        : $"- [{SeverityName(finding.Severity)}] {finding.Title}. {finding.Rationale} Evidence: {string.Join(' ', finding.Evidence)}";

    /// <summary>
    /// Ten equal time slices: how many (selected) events, the busiest function, exceptions. Each thread's
    /// timestamps are sorted, so slice borders become index ranges by binary search and the per-event work is
    /// one counter increment in a dense slice × function table (no division, no dictionary). O(events).
    /// </summary>
    internal static IEnumerable<string> Timeline(ExecutionTrace trace, Selection selection)
    {
        const int Slices = 10;
        if (selection.Count == 0)
            yield break;
        long span = Math.Max(1, trace.TimeEndNs - trace.TimeStartNs);
        int functions = trace.FunctionIds.Length;
        var counts = new long[Slices];
        var exceptions = new long[Slices];
        var perFunction = new int[Slices * functions];
        CountSlices(trace, selection, span, counts, exceptions, perFunction);
        for (int i = 0; i < Slices; i++)
        {
            long from = span * i / Slices, to = span * (i + 1) / Slices;
            var text = new StringBuilder();
            text.Append("- ").Append(TraceText.Duration(from)).Append("–").Append(TraceText.Duration(to)).Append(": ");
            if (counts[i] == 0)
            {
                text.Append("no events");
            }
            else
            {
                // Busiest function; ties go to the lower ordinal.
                var row = perFunction.AsSpan(i * functions, functions);
                int top = 0;
                for (int o = 1; o < row.Length; o++)
                {
                    if (row[o] > row[top])
                        top = o;
                }
                text.Append(TraceText.Count(counts[i])).Append(" events, mostly ").Append(trace.GetFunctionName(top))
                    .Append(" (").Append(TraceText.Count(row[top])).Append(')');
                if (exceptions[i] > 0)
                    text.Append(", ").Append(TraceText.Count(exceptions[i])).Append(exceptions[i] == 1 ? " exception" : " exceptions");
            }
            yield return text.ToString();
        }
    }

    /// <summary>Per slice: selected events, exceptions among them, and selected events per function ordinal.</summary>
    private static void CountSlices(ExecutionTrace trace, Selection selection, long span, Span<long> counts, Span<long> exceptions, Span<int> perFunction)
    {
        int slices = counts.Length;
        int functions = trace.FunctionIds.Length;
        var timestamps = trace.Timestamps;
        var ordinals = trace.FunctionOrdinals;
        var kinds = trace.Kinds;
        var words = selection.Words;
        // Slice i holds the events with (t − start)·slices / span = i (the last also holds t = end): it starts
        // at the first t with t − start ≥ ⌈i·span / slices⌉.
        Span<long> borders = stackalloc long[slices + 1];
        for (int i = 1; i < slices; i++)
            borders[i] = trace.TimeStartNs + (long)(((Int128)i * span + slices - 1) / slices);
        foreach (var thread in trace.Threads)
        {
            var times = timestamps.Slice(thread.Start, thread.Count);
            int from = 0;
            for (int i = 0; i < slices; i++)
            {
                int to = i == slices - 1 ? times.Length : ExecutionTrace.LowerBound(times, borders[i + 1]);
                if (from < to)
                {
                    var row = perFunction.Slice(i * functions, functions);
                    (long selected, long raised) = CountRange(words, thread.Start + from, thread.Start + to, ordinals, kinds, row);
                    counts[i] += selected;
                    exceptions[i] += raised;
                }
                from = Math.Max(from, to);
            }
        }
    }

    /// <summary>Counts the selected events of <c>[from, to)</c> into <paramref name="row"/> by function ordinal; returns them and the exceptions.</summary>
    private static (long Selected, long Exceptions) CountRange(ReadOnlySpan<ulong> words, int from, int to, ReadOnlySpan<int> ordinals, ReadOnlySpan<byte> kinds, Span<int> row)
    {
        long selected = 0, raised = 0;
        for (int w = from >> 6, last = (to - 1) >> 6; w <= last; w++)
        {
            int baseEvent = w << 6;
            ulong word = words[w];
            if (w == from >> 6)
                word &= ulong.MaxValue << (from & 63);
            if (w == last)
                word &= ulong.MaxValue >> (63 - ((to - 1) & 63));
            if (word == ulong.MaxValue)
            {
                selected += 64;
                for (int e = baseEvent; e < baseEvent + 64; e++)
                {
                    row[ordinals[e]]++;
                    raised += kinds[e] == (byte)EventKind.Exception ? 1 : 0;
                }
                continue;
            }
            selected += System.Numerics.BitOperations.PopCount(word);
            while (word != 0)
            {
                int e = baseEvent + System.Numerics.BitOperations.TrailingZeroCount(word);
                row[ordinals[e]]++;
                raised += kinds[e] == (byte)EventKind.Exception ? 1 : 0;
                word &= word - 1;
            }
        }
        return (selected, raised);
    }

    private static string SeverityName(Severity severity) => severity switch
    {
        Severity.Critical => "critical",
        Severity.High => "high",
        Severity.Medium => "medium",
        Severity.Low => "low",
        _ => "info",
    };
}
