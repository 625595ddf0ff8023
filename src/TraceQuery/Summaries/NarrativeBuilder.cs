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
        Func<IReadOnlyList<FunctionStats>, SpanExemplars?[]>? exemplarsOf = null, Func<IReadOnlyList<string>>? timelineOf = null, EventFilter? filter = null,
        Func<WholeTraceLines>? wholeTraceOf = null)
    {
        // Lines about the whole trace only (an unfiltered summary shows them), computed once per trace by the façade.
        var whole = filtered ? null : wholeTraceOf?.Invoke() ?? WholeTrace(trace);
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

        if (!filtered)
        {
            foreach (string line in whole!.Folded)
                yield return new SummaryItem(SummaryItemKind.Function, line, AnswerSections.FoldedSelf);
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
            foreach (string line in SampledLines(profile, whole))
                yield return new SummaryItem(SummaryItemKind.Function, line, AnswerSections.SampledCpu);
        }

        if (includeTimeline)
        {
            foreach (string line in timelineOf?.Invoke() ?? Timeline(trace, selection))
                yield return new SummaryItem(SummaryItemKind.Timeline, line, AnswerSections.Timeline);
        }

        // What else the whole trace holds, after what summaries always showed (so a small budget keeps those).
        if (!filtered)
        {
            foreach (string line in LongestByTotal(analysis.Functions, top))
                yield return new SummaryItem(SummaryItemKind.Function, line, AnswerSections.LongestByTotal);
            foreach (string line in whole!.Threads)
                yield return new SummaryItem(SummaryItemKind.Function, line, AnswerSections.Threads);
            foreach (var c in trace.Metadata.Counters.Take(MaxCounterLines))
            {
                yield return new SummaryItem(SummaryItemKind.Function,
                    $"- {c.Name} ×{TraceText.Count(c.Count)} · min {Number(c.Min)} · max {Number(c.Max)} · last {Number(c.Last)}", AnswerSections.Counters);
            }
            if (trace.Metadata.Counters.Count > MaxCounterLines)
                yield return new SummaryItem(SummaryItemKind.Function, $"- {TraceText.Count(trace.Metadata.Counters.Count - MaxCounterLines)} more counter series", AnswerSections.Counters);
        }

        if (filtered)
        {
            foreach (int e in selection.Indices())
                yield return new SummaryItem(SummaryItemKind.Event, TraceText.Event(trace, e), AnswerSections.MatchingEvents);
        }
    }

    /// <summary>
    /// The sampled CPU lines: totals (with, from the <paramref name="whole"/> trace's lines, what the waiting samples' leaves
    /// were and one line per profile the source held), the top functions by sampled self time (with total time and share), then the
    /// heaviest folded stacks (last frames only, so a deep stack stays one short line) with their heaviest distinct stack
    /// (<c>stack:&lt;id&gt;</c>, which events.get resolves to every frame).
    /// </summary>
    internal static IEnumerable<string> SampledLines(SampledProfile profile, WholeTraceLines? whole = null, int functions = 10, int paths = 5)
    {
        string waiting = profile.WaitingSamples > 0
            ? $"; {TraceText.Count(profile.WaitingSamples)} waiting samples ({TraceText.Duration(profile.WaitingNs)}{whole?.WaitingLeaves}), not CPU"
            : "";
        yield return $"- {TraceText.Count(profile.CpuSamples)} CPU samples, {TraceText.Duration(profile.CpuNs)} sampled CPU{waiting}";
        if (whole is not null)
        {
            foreach (string line in whole.Profiles)
                yield return line;
        }
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

    /// <summary>The summary lines that depend on the whole trace only: computed once per trace (<see cref="WholeTrace"/>).</summary>
    internal sealed record WholeTraceLines(string[] Folded, string[] Threads, string[] Profiles, string WaitingLeaves);

    /// <summary>
    /// The whole trace's folded self times, busiest threads, sampled profiles and waiting samples' leaves. O(spans +
    /// samples × profiles); the façade keeps the result per trace.
    /// </summary>
    internal static WholeTraceLines WholeTrace(ExecutionTrace trace) =>
        new([.. FoldedSelfLines(trace)], [.. ThreadLines(trace)],
            trace.Samples.Count > 0 ? [.. ProfileLines(trace)] : [], trace.Samples.Count > 0 ? WaitingLeaves(trace) : "");

    /// <summary>Lines of the longest-by-total list, of the busiest-threads list and of counter series.</summary>
    private const int MaxTotalLines = 5, MaxThreadLines = 5, MaxCounterLines = 8;

    /// <summary>
    /// The functions with the most total time (children included) that <paramref name="shown"/> (the self-time list) does
    /// not hold: a caller whose time is all in its callees (a backward pass, a compile phase) never tops a self-time list.
    /// </summary>
    private static IEnumerable<string> LongestByTotal(IReadOnlyList<FunctionStats> functions, IReadOnlyList<FunctionStats> shown)
    {
        var listed = shown.Select(f => f.FunctionId).ToHashSet();
        foreach (var f in Analyzer.TopFunctions(functions.Where(f => !listed.Contains(f.FunctionId) && f.TotalNs > 0), FunctionMetric.Total, MaxTotalLines))
        {
            yield return $"- {f.Name} ({f.Module}) ×{TraceText.Count(f.Count)} · total {TraceText.Duration(f.TotalNs)} · self {TraceText.Duration(f.SelfTotalNs)}"
                + $" · fn:0x{f.FunctionId.ToString("x16", CultureInfo.InvariantCulture)}";
        }
    }

    /// <summary>
    /// The threads that did the work, busiest first: per call-stack or device lane, the time its outermost spans cover
    /// (spans the reader marked as aggregates, e.g. clang's <c>Total</c> rows, are not work) and the function with the most
    /// self time on it. Shown when the trace has more than one thread. O(spans).
    /// </summary>
    private static List<string> ThreadLines(ExecutionTrace trace)
    {
        var lines = new List<string>();
        if (trace.Threads.Count < 2)
            return lines;
        var spans = trace.Spans;
        // Keep the span columns alive while the threads are measured (they are a weak cache).
        var durations = spans.DurationColumn();
        var ordinals = spans.FunctionOrdinalColumn();
        var perThread = new (long Busy, int Spans, int TopOrdinal, long TopSelf)[trace.Threads.Count];
        // One pass per thread and no span-sized scratch: a span's self time is its duration less its children's, so each
        // span adds its duration to its own function and takes it from its parent's (a parent is on the same thread).
        // Threads are independent and each result has its own slot, so running them in parallel changes nothing.
        Parallel.For(0, trace.Threads.Count, new ParallelOptions { MaxDegreeOfParallelism = spans.Count >= 100_000 ? -1 : 1 },
            () => (new long[trace.FunctionIds.Length], new int[trace.FunctionIds.Length]),
            (t, _, scratch) =>
            {
                perThread[t] = Busiest(trace, spans, durations, ordinals, t, scratch.Item1, scratch.Item2);
                return scratch;
            },
            _ => { });
        var busy = new List<(int Thread, long Busy, int Spans, int TopOrdinal, long TopSelf)>();
        for (int t = 0; t < perThread.Length; t++)
        {
            if (perThread[t].Busy > 0)
                busy.Add((t, perThread[t].Busy, perThread[t].Spans, perThread[t].TopOrdinal, perThread[t].TopSelf));
        }
        foreach (var b in busy.OrderByDescending(b => b.Busy).ThenBy(b => b.Thread).Take(MaxThreadLines))
        {
            var thread = trace.Threads[b.Thread];
            string who = thread.Name is { } name ? name : "thread " + thread.Id.ToString(CultureInfo.InvariantCulture);
            var identity = new List<string>(2);
            if (thread.ProcessId is not null)
                identity.Add("pid " + thread.ProcessId);
            if (thread.OriginalThreadId is not null)
                identity.Add("tid " + thread.OriginalThreadId);
            lines.Add($"- {who}{(identity.Count > 0 ? " (" + string.Join(" ", identity) + ")" : "")}{(thread.Track == SpanTrack.Device ? " (device)" : "")}"
                + $" · {TraceText.Count(b.Spans)} spans · outermost spans cover {TraceText.Duration(b.Busy)}"
                + (b.TopOrdinal >= 0 ? $" · most self time in {trace.GetFunctionName(b.TopOrdinal)} ({TraceText.Duration(b.TopSelf)})" : ""));
        }
        if (busy.Count > MaxThreadLines)
            lines.Add($"- {TraceText.Count(busy.Count - MaxThreadLines)} more threads with spans");
        return lines;
    }

    /// <summary>
    /// One thread's line figures: the time its outermost spans cover (aggregates and instants are not work), its spans, and
    /// the function with the most self time on it (envelopes and pseudo-frames hold none; ties to the lower ordinal).
    /// <paramref name="self"/> is all zeros on entry and is left all zeros; <paramref name="stamp"/> marks the functions
    /// seen on thread <paramref name="t"/> (with <c>t + 1</c>, so it needs no clearing between threads).
    /// </summary>
    private static (long Busy, int Spans, int TopOrdinal, long TopSelf) Busiest(
        ExecutionTrace trace, CallSpans spans, long[] durations, int[] ordinals, int t, long[] self, int[] stamp)
    {
        if (trace.Threads[t].Track == SpanTrack.Async)
            return default;
        var parents = spans.Parents;
        var (first, end) = spans.GetThreadRange(t);
        const SpanMarks NotWork = SpanMarks.Aggregate | SpanMarks.Instant;
        const SpanMarks NoSelf = NotWork | SpanMarks.Envelope | SpanMarks.PseudoFrame;
        var touched = new List<int>();
        long covered = 0;
        int count = 0;
        for (int s = first; s < end; s++)
        {
            var marks = spans.GetMarks(s);
            int parent = parents[s];
            if (parent >= first && parent < end && (spans.GetMarks(parent) & NoSelf) == 0)
            {
                Touch(ordinals[parent]);
                self[ordinals[parent]] -= durations[s];
            }
            if ((marks & NotWork) != 0)
                continue;
            count++;
            if (parent < 0)
                covered += durations[s];
            if ((marks & NoSelf) == 0)
            {
                Touch(ordinals[s]);
                self[ordinals[s]] += durations[s];
            }
        }
        int topOrdinal = -1;
        foreach (int o in touched)
        {
            if (topOrdinal < 0 || self[o] > self[topOrdinal] || (self[o] == self[topOrdinal] && o < topOrdinal))
                topOrdinal = o;
        }
        long topSelf = topOrdinal < 0 ? 0 : self[topOrdinal];
        foreach (int o in touched)
            self[o] = 0;
        return covered <= 0 ? default : (covered, count, topOrdinal, topSelf);

        void Touch(int ordinal)
        {
            if (stamp[ordinal] != t + 1)
            {
                stamp[ordinal] = t + 1;
                touched.Add(ordinal);
            }
        }
    }

    /// <summary>
    /// When the reader marked pseudo-frames (<see cref="SpanMarks.PseudoFrame"/>: a sampler's leaf that stands for its
    /// caller's own time, dotnet-trace's <c>CPU_TIME</c>), the functions by self time with each pseudo-frame's duration
    /// given to its caller: the functions that really held the time. Empty otherwise. O(spans).
    /// </summary>
    private static List<string> FoldedSelfLines(ExecutionTrace trace)
    {
        var lines = new List<string>();
        var spans = trace.Spans;
        var ordinals = spans.FunctionOrdinals;
        bool anyPseudo = false;
        for (int s = 0; s < spans.Count && !anyPseudo; s++)
            anyPseudo = (spans.GetMarks(s) & SpanMarks.PseudoFrame) != 0;
        if (!anyPseudo)
            return lines;
        var folded = new Dictionary<int, (long Self, int Calls)>();
        long pseudo = 0;
        var own = OwnTimes(spans, foldPseudoFrames: true);
        for (int s = 0; s < spans.Count; s++)
        {
            if ((spans.GetMarks(s) & SpanMarks.PseudoFrame) != 0)
            {
                pseudo++;
                continue;
            }
            var (self, calls) = folded.GetValueOrDefault(ordinals[s]);
            folded[ordinals[s]] = (self + own[s], calls + 1);
        }
        if (pseudo == 0)
            return lines;
        foreach (var (ordinal, (self, calls)) in folded.Where(x => x.Value.Self > 0).OrderByDescending(x => x.Value.Self).ThenBy(x => x.Key).Take(MaxTotalLines))
            lines.Add($"- {trace.GetFunctionName(ordinal)} ×{TraceText.Count(calls)} · self {TraceText.Duration(self)} with its pseudo-frames");
        return lines;
    }

    /// <summary>
    /// Each span's self time: its duration less its children's; with <paramref name="foldPseudoFrames"/>, a child marked
    /// <see cref="SpanMarks.PseudoFrame"/> leaves its time to its caller. O(spans).
    /// </summary>
    private static long[] OwnTimes(CallSpans spans, bool foldPseudoFrames)
    {
        var durations = spans.Durations;
        var parents = spans.Parents;
        var own = durations.ToArray();
        for (int s = 0; s < own.Length; s++)
        {
            if (parents[s] >= 0 && !(foldPseudoFrames && (spans.GetMarks(s) & SpanMarks.PseudoFrame) != 0))
                own[parents[s]] -= durations[s];
        }
        return own;
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Profiles named one per line; the rest are counted in the last line.</summary>
    private const int MaxProfileLines = 4;

    /// <summary>
    /// One line per sampled profile of the source: its id, process and thread, its samples, those not kept (they named a
    /// node the profile does not hold) and the function with the most sampled CPU on its thread.
    /// </summary>
    private static IEnumerable<string> ProfileLines(ExecutionTrace trace)
    {
        var profiles = trace.Metadata.SampleProfiles;
        if (profiles.Count == 0 || (profiles.Count == 1 && profiles[0].Id.Length == 0 && profiles[0].SamplesWithUnknownNode == 0))
            yield break;
        foreach (var p in profiles.Take(MaxProfileLines))
        {
            var text = new StringBuilder("- profile ");
            text.Append(p.Id.Length > 0 ? p.Id : "(no id)").Append(" (");
            var thread = trace.Threads.FirstOrDefault(t => t.Id == p.ThreadId);
            var where = new List<string>(3);
            if (p.ProcessId is not null)
                where.Add("pid " + p.ProcessId);
            if (thread?.ProcessName is { } process)
                where.Add(ShortProcessName(process));
            if (thread?.Name is { } name)
                where.Add(name);
            else
                where.Add("thread " + p.ThreadId.ToString(CultureInfo.InvariantCulture));
            text.Append(string.Join(", ", where)).Append("): ").Append(TraceText.Count(p.Samples)).Append(p.Samples == 1 ? " sample" : " samples");
            if (p.SamplesWithUnknownNode > 0)
            {
                text.Append(p.SamplesKept == 0 ? ", none kept: all" : $", {TraceText.Count(p.SamplesWithUnknownNode)} not kept:")
                    .Append(" name a node the profile does not hold (samples with an unknown node)");
            }
            else if (SampledProfile.Compute(trace, new SampleScope { ThreadId = p.ThreadId }) is { CpuNs: > 0 } own && own.TopBySelf(1) is [var top])
            {
                text.Append("; most sampled CPU on its thread in ").Append(top.Name).Append(" (self ").Append(TraceText.Duration(top.SelfNs)).Append(')');
            }
            yield return text.ToString();
        }
        if (profiles.Count > MaxProfileLines)
            yield return $"- {TraceText.Count(profiles.Count - MaxProfileLines)} more profiles";
    }

    /// <summary>A process name cut to its first three words (a command line names the program and its role first).</summary>
    private static string ShortProcessName(string name)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= 3 ? name : string.Join(' ', words.Take(3)) + " …";
    }

    /// <summary>What the waiting samples of the whole trace were doing: the two heaviest leaf functions (<c>: (idle) 696 ms</c>).</summary>
    private static string WaitingLeaves(ExecutionTrace trace)
    {
        var samples = trace.Samples;
        var byLeaf = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < samples.Count; i++)
        {
            if (samples.IsCpu(i) || samples.Stacks[i] < 0)
                continue;
            string leaf = samples.Frames[samples.GetStackFrame(samples.Stacks[i])].Function;
            byLeaf[leaf] = byLeaf.GetValueOrDefault(leaf) + samples.WeightsNs[i];
        }
        var top = byLeaf.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal).Take(2).ToList();
        return top.Count == 0 ? "" : ": " + string.Join(", ", top.Select(x => x.Key + " " + TraceText.Duration(x.Value)));
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
