using System.Globalization;
using System.Text;
using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Model;
using TraceQuery.Summaries.Internals;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>
/// The lines of a scoped search: every thread's events in a window around an anchor, printed merged in time order
/// (ties by thread, then sequence) with offsets from the anchor, the anchor marked, repeats folded with exemplar
/// spans, and detail records (arguments, frame registers) under the events that have one. Lines are ranked by
/// closeness to the anchor (detail lines count double the distance), so a small budget keeps the nearest events and
/// the cursor widens the view; a window without detail points to the nearest event that has some. When the trace holds
/// stack samples, the samples in the window say what the threads were doing there: the window's sampled CPU, its
/// heaviest functions and stacks (with <c>stack:</c>/<c>sample:</c> evidence) and each thread's main leaf — a samples-only
/// trace (a CPU profile) is searched around a time or a <c>sample:&lt;index&gt;</c> anchor this way.
/// </summary>
internal static class ScopedNeighbourhood
{
    /// <summary>Events considered at most; a larger window keeps those nearest the anchor on each thread.</summary>
    public const int MaxConsidered = 200_000;

    private const int BackEvents = 32;
    private const int AheadEvents = 16;

    /// <summary>Threads whose samples in the window get a line of their own, busiest first.</summary>
    private const int SampledThreadLines = 8;

    /// <summary>The resolved anchor: its event (for a time, the nearest event), span, interval and description.</summary>
    private readonly record struct Anchor(int Event, int EndEvent, int Span, long StartNs, long EndNs, bool IsTime, string Text, string Description);

    /// <summary>
    /// The lines around <paramref name="window"/>'s anchor. <paramref name="selection"/> (null for all events) keeps only
    /// the events a filter selected, <paramref name="filterCanonical"/> being that filter's text; the façade parses it.
    /// <paramref name="samplesIncluded"/> (null for all) are the same filter's flags over the stack samples.
    /// </summary>
    /// <exception cref="QueryArgumentException">The anchor does not parse or does not exist, or a window is negative.</exception>
    public static AnswerLines Build(ExecutionTrace trace, ScopedWindow window, Selection? selection, string filterCanonical, CancellationToken cancellationToken,
        IReadOnlyList<bool>? samplesIncluded = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        if (trace.EventCount == 0 && trace.Samples.Count == 0)
            throw new QueryArgumentException("anchor", "The trace has no events or stack samples to search around.");
        if (window.LookBackNs is < 0)
            throw new QueryArgumentException("back", $"Look-back must be zero or more nanoseconds, not {window.LookBackNs}.");
        if (window.LookAheadNs is < 0)
            throw new QueryArgumentException("ahead", $"Look-ahead must be zero or more nanoseconds, not {window.LookAheadNs}.");
        var anchor = Resolve(trace, window.Anchor);
        var (back, ahead) = DefaultWindows(trace, anchor);
        back = window.LookBackNs ?? back;
        ahead = window.LookAheadNs ?? ahead;
        long from = anchor.StartNs - back; // timestamps are non-negative: no overflow
        long to = ahead > long.MaxValue - 1 - anchor.EndNs ? long.MaxValue - 1 : anchor.EndNs + ahead;
        cancellationToken.ThrowIfCancellationRequested();

        // Per thread, the window's index range, narrowed to the events nearest the anchor when it is too large.
        var ranges = new (int Lo, int Hi)[trace.Threads.Count];
        long inWindow = 0;
        foreach (var thread in trace.Threads)
        {
            var times = trace.Timestamps.Slice(thread.Start, thread.Count);
            ranges[thread.Index] = (thread.Start + ExecutionTrace.LowerBound(times, from), thread.Start + ExecutionTrace.LowerBound(times, to + 1));
            inWindow += ranges[thread.Index].Hi - ranges[thread.Index].Lo;
        }
        bool narrowed = inWindow > MaxConsidered;
        if (narrowed)
        {
            int perSide = MaxConsidered / (2 * trace.Threads.Count);
            foreach (var thread in trace.Threads)
            {
                int middle = thread.Start + ExecutionTrace.LowerBound(trace.Timestamps.Slice(thread.Start, thread.Count), anchor.StartNs);
                var (lo, hi) = ranges[thread.Index];
                ranges[thread.Index] = (Math.Max(lo, middle - perSide), Math.Min(hi, middle + perSide));
            }
        }

        bool IsAnchorEvent(int e) => !anchor.IsTime && (e == anchor.Event || e == anchor.EndEvent);
        var runs = new List<(RepeatFolding.Run Run, int Thread)>();
        int kept = 0, threadsSeen = 0;
        bool windowHasDetail = false;
        foreach (var thread in trace.Threads)
        {
            var (lo, hi) = ranges[thread.Index];
            var segment = new List<int>();
            int before = runs.Count;
            for (int e = lo; e < hi; e++)
            {
                bool isAnchor = IsAnchorEvent(e);
                if (!isAnchor && selection is not null && !selection.Contains(e))
                    continue;
                kept++;
                windowHasDetail |= trace.DetailSeqs[e] != TraceEvent.NoDetail;
                if (!isAnchor)
                {
                    segment.Add(e);
                    continue;
                }
                foreach (var run in RepeatFolding.Fold(trace, segment))
                    runs.Add((run, thread.Index));
                segment.Clear();
                runs.Add((new RepeatFolding.Run([e]), thread.Index));
            }
            foreach (var run in RepeatFolding.Fold(trace, segment))
                runs.Add((run, thread.Index));
            if (runs.Count > before)
                threadsSeen++;
            cancellationToken.ThrowIfCancellationRequested();
        }

        // Print order: time of the run's first event, then thread, then sequence; a time anchor sits before events at its time.
        runs.Sort((a, b) =>
        {
            int c = trace.Timestamps[a.Run.First].CompareTo(trace.Timestamps[b.Run.First]);
            if (c == 0)
                c = a.Thread.CompareTo(b.Thread);
            return c != 0 ? c : a.Run.First.CompareTo(b.Run.First);
        });

        var ranked = new List<(long Key, SummaryItem Item)>();
        long singles = 0, folded = 0, other = 0;
        if (anchor.IsTime)
        {
            int at = runs.FindIndex(r => trace.Timestamps[r.Run.First] >= anchor.StartNs);
            long position = at < 0 ? (3L * runs.Count) : (3L * at) - 1;
            ranked.Add((-3, new SummaryItem(SummaryItemKind.Timeline, $"- [anchor] ±0 {anchor.Description}", AnswerSections.Around) { Position = position }));
            other++;
        }
        if (window.IncludeDetail && !windowHasDetail && trace.EventCount > 0)
        {
            ranked.Add((-1, new SummaryItem(SummaryItemKind.Timeline, NearestDetail(trace, anchor, ranges), AnswerSections.Around) { Position = long.MinValue }));
            other++;
        }
        var timestamps = trace.Timestamps;
        for (int i = 0; i < runs.Count; i++)
        {
            var run = runs[i].Run;
            long distance = long.MaxValue;
            foreach (int e in run.Events)
                distance = Math.Min(distance, Distance(timestamps[e], anchor));
            if (run.Folded)
            {
                ranked.Add((distance * 2, new SummaryItem(SummaryItemKind.Function, RepeatFolding.Render(trace, run, TraceText.Offset(timestamps[run.First] - anchor.StartNs) + " "), AnswerSections.Around) { Position = 3L * i }));
                folded++;
                continue;
            }
            int e0 = run.First;
            bool isAnchor = IsAnchorEvent(e0);
            string mark = !isAnchor ? "" : e0 == anchor.Event ? "[anchor] " : "[anchor end] ";
            ranked.Add((isAnchor ? -2 : distance * 2, new SummaryItem(SummaryItemKind.Event, TraceText.Event(trace, e0, TraceText.Offset(timestamps[e0] - anchor.StartNs), mark), AnswerSections.Around) { Position = 3L * i }));
            singles++;
            if (window.IncludeDetail && trace.DetailSeqs[e0] != TraceEvent.NoDetail && trace.TryGetDetail(e0, out var record))
            {
                ranked.Add(((isAnchor ? 0 : distance * 4) + 1, new SummaryItem(SummaryItemKind.Timeline, "  " + TraceText.Detail(record), AnswerSections.Around) { Position = (3L * i) + 1 }));
                other++;
            }
        }
        long sampledLines = 0, samplesInWindow = 0;
        if (trace.Samples.Count > 0)
        {
            var sampled = SampledLines(trace, from, to, samplesIncluded, cancellationToken);
            samplesInWindow = sampled.InWindow;
            // What the samples say ranks with the anchor (it is the answer for a CPU profile) and prints after the events.
            for (int i = 0; i < sampled.Lines.Count; i++)
                ranked.Add((-1, new SummaryItem(SummaryItemKind.Function, sampled.Lines[i], AnswerSections.SampledAround) { Position = long.MaxValue - sampled.Lines.Count + i }));
            sampledLines = sampled.Lines.Count;
        }
        ranked.Sort((a, b) =>
        {
            int c = a.Key.CompareTo(b.Key);
            return c != 0 ? c : a.Item.Position.CompareTo(b.Item.Position);
        });

        var headline = new StringBuilder("# Around ").Append(anchor.Text).Append(" (").Append(anchor.Description).Append("): ")
            .Append(TraceText.Offset(-back)).Append(anchor.EndNs > anchor.StartNs ? " before its start .. " : " .. ").Append(TraceText.Offset(ahead))
            .Append(anchor.EndNs > anchor.StartNs ? " after its end" : "").Append(", ")
            .Append(TraceText.Count(kept)).Append(kept == 1 ? " event on " : " events on ")
            .Append(TraceText.Count(threadsSeen)).Append(threadsSeen == 1 ? " thread" : " threads");
        if (selection is not null)
            headline.Append(" matching `").Append(filterCanonical).Append('`');
        if (narrowed)
            headline.Append("; the window holds ").Append(TraceText.Count(inWindow)).Append(" events, the nearest ").Append(TraceText.Count(MaxConsidered)).Append(" are considered");
        if (trace.Samples.Count > 0)
            headline.Append("; ").Append(TraceText.Count(samplesInWindow)).Append(samplesInWindow == 1 ? " stack sample" : " stack samples").Append(selection is not null ? " matching" : "").Append(" in the window");

        var totals = new Dictionary<SummaryItemKind, long>
        {
            [SummaryItemKind.Event] = singles,
            [SummaryItemKind.Function] = folded + sampledLines,
            [SummaryItemKind.Timeline] = other,
        };
        string query = string.Create(CultureInfo.InvariantCulture, $"scoped|{anchor.Text}|{back}|{ahead}|{filterCanonical}|{window.IncludeDetail}");
        return new AnswerLines(headline.ToString(), [.. ranked.Select(r => r.Item)], totals, query, kept, []);
    }

    /// <summary>Time distance from the anchor's interval: to its start before it, to its end after it, to the nearer end inside.</summary>
    private static long Distance(long t, Anchor anchor) =>
        t <= anchor.StartNs ? anchor.StartNs - t : t >= anchor.EndNs ? t - anchor.EndNs : Math.Min(t - anchor.StartNs, anchor.EndNs - t);

    private static Anchor Resolve(ExecutionTrace trace, string? text)
    {
        const string Forms = "use span:<id>, event:<thread>:<seq>, sample:<index> or a time since the trace's first event such as 1.5ms";
        text = text?.Trim() ?? "";
        if (text.Length == 0)
            throw new QueryArgumentException("anchor", "An anchor is required: " + Forms + ".");
        var spans = trace.Spans;
        if (text.StartsWith("span:", StringComparison.Ordinal))
        {
            if (!int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                throw new QueryArgumentException("anchor", $"'{text}' is not a span reference; {Forms}.");
            if (id >= spans.Count)
                throw new QueryArgumentException("anchor", $"{text} does not exist: this trace has {TraceText.Count(spans.Count)} spans (span:0 to span:{spans.Count - 1}).");
            var span = spans.Get(id);
            string description = $"{trace.Symbols.GetName(span.FunctionId)} on thread {span.ThreadId}, {TraceText.Duration(span.DurationNs)} {TraceText.Status(span.Status)}, +{TraceText.Duration(span.StartNs - trace.TimeStartNs)} into the trace";
            return new Anchor(span.StartEvent, span.EndEvent, id, span.StartNs, span.EndNs, false, text, description);
        }
        if (text.StartsWith("event:", StringComparison.Ordinal))
        {
            if (!EventRef.TryParse(text, out var reference))
                throw new QueryArgumentException("anchor", $"'{text}' is not an event reference; {Forms}.");
            if (!trace.TryGetEventIndex(reference, out int e))
                throw new QueryArgumentException("anchor", $"{text} does not exist in this trace (no such thread or sequence number).");
            int s = spans.SpanOfEvent[e];
            long t = trace.Timestamps[e];
            string description = $"{TraceText.KindInLine(trace.Kinds[e])} {trace.GetFunctionName(trace.FunctionOrdinals[e])} on thread {reference.ThreadId}, +{TraceText.Duration(t - trace.TimeStartNs)} into the trace";
            return new Anchor(e, -1, s, t, t, false, reference.ToString(), description);
        }
        if (text.StartsWith("sample:", StringComparison.Ordinal))
        {
            var samples = trace.Samples;
            if (!int.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out int sample))
                throw new QueryArgumentException("anchor", $"'{text}' is not a sample reference; {Forms}.");
            if (sample >= samples.Count)
                throw new QueryArgumentException("anchor", samples.Count == 0
                    ? $"{text} does not exist: this trace has no stack samples."
                    : $"{text} does not exist: this trace has {TraceText.Count(samples.Count)} samples (sample:0 to sample:{samples.Count - 1}).");
            long t = samples.TimestampsNs[sample];
            int stack = samples.Stacks[sample];
            string leaf = stack >= 0 ? samples.Frames[samples.GetStackFrame(stack)].Function : "no frames";
            string description = $"{SampleText.State(samples.States[sample])} sample in {leaf} on thread {samples.ThreadIds[sample]}, +{TraceText.Duration(t - trace.TimeStartNs)} into the trace";
            return new Anchor(trace.EventCount > 0 ? NearestEvent(trace, t) : -1, -1, -1, t, t, true, "sample:" + sample.ToString(CultureInfo.InvariantCulture), description);
        }
        string body = text.StartsWith("time:", StringComparison.Ordinal) ? text[5..] : text;
        body = body.TrimStart('+');
        if (!DurationText.TryParse(body, out long offset, allowBareNanoseconds: true))
            throw new QueryArgumentException("anchor", $"'{text}' is not an anchor; {Forms}.");
        long at = offset > long.MaxValue - trace.TimeStartNs ? long.MaxValue - 1 : trace.TimeStartNs + offset;
        string timeText = "+" + TraceText.Duration(offset);
        if (trace.EventCount == 0)
            return new Anchor(-1, -1, -1, at, at, true, "time " + timeText, $"time {timeText} into the trace; nearest sample sample:{NearestSample(trace.Samples, at)}");
        int nearest = NearestEvent(trace, at);
        return new Anchor(nearest, -1, -1, at, at, true, "time " + timeText,
            $"time {timeText} into the trace; nearest event {trace.GetEventRef(nearest)}");
    }

    /// <summary>The event nearest <paramref name="at"/> on any thread (ties: earlier, then lower thread).</summary>
    private static int NearestEvent(ExecutionTrace trace, long at)
    {
        int best = -1;
        long bestDistance = long.MaxValue;
        foreach (var thread in trace.Threads)
        {
            if (thread.Count == 0)
                continue;
            int i = thread.Start + ExecutionTrace.LowerBound(trace.Timestamps.Slice(thread.Start, thread.Count), at);
            foreach (int e in new[] { i - 1, i })
            {
                if (e < thread.Start || e >= thread.End)
                    continue;
                long d = Math.Abs(trace.Timestamps[e] - at);
                if (d < bestDistance)
                    (best, bestDistance) = (e, d);
            }
        }
        return best;
    }

    private static (long Back, long Ahead) DefaultWindows(ExecutionTrace trace, Anchor anchor)
    {
        if (anchor.Event < 0)
            return SampleWindows(trace.Samples, anchor.StartNs);
        long duration = anchor.Span >= 0 ? trace.Spans.GetDuration(anchor.Span) : 0;
        var thread = trace.GetThreadOfEvent(anchor.Event);
        var times = trace.Timestamps;
        int first = Math.Max(thread.Start, anchor.Event - BackEvents);
        long back = Math.Max(duration, anchor.StartNs - times[first]);
        int end = anchor.Span >= 0 && trace.Spans.GetEndEvent(anchor.Span) >= 0 ? trace.Spans.GetEndEvent(anchor.Span) : anchor.Event;
        int last = Math.Min(thread.End - 1, end + AheadEvents);
        // At a thread's last event (a crash) there is nothing later on it: look a quarter of the look-back ahead for the other threads.
        long ahead = Math.Max(duration, last > end ? times[last] - anchor.EndNs : back / 4);
        return (Math.Max(back, 0), Math.Max(ahead, 0));
    }

    /// <summary>The sample nearest <paramref name="at"/> (ties: the earlier). The table is not empty.</summary>
    private static int NearestSample(SampleTable samples, long at)
    {
        int i = ExecutionTrace.LowerBound(samples.TimestampsNs, at);
        if (i >= samples.Count)
            return samples.Count - 1;
        return i > 0 && at - samples.TimestampsNs[i - 1] <= samples.TimestampsNs[i] - at ? i - 1 : i;
    }

    /// <summary>
    /// The default window of a trace without events, as for events: back to the 32nd earlier sample of the nearest sample's
    /// thread, ahead to its 16th later one (a quarter of the look-back when it has none).
    /// </summary>
    private static (long Back, long Ahead) SampleWindows(SampleTable samples, long at)
    {
        int nearest = NearestSample(samples, at);
        uint thread = samples.ThreadIds[nearest];
        var threads = samples.ThreadIds;
        var times = samples.TimestampsNs;
        long first = times[nearest], last = times[nearest];
        for (int i = nearest - 1, seen = 0; i >= 0 && seen < BackEvents; i--)
        {
            if (threads[i] == thread)
                (first, seen) = (times[i], seen + 1);
        }
        int later = 0;
        for (int i = nearest + 1; i < threads.Length && later < AheadEvents; i++)
        {
            if (threads[i] == thread)
                (last, later) = (times[i], later + 1);
        }
        long back = Math.Max(0, at - first);
        long ahead = later > 0 ? Math.Max(0, last - at) : back / 4;
        return (back, ahead);
    }

    /// <summary>
    /// What the stack samples in [<paramref name="from"/>, <paramref name="to"/>] say: the window's sampled CPU, heaviest
    /// functions and stacks (<see cref="NarrativeBuilder.SampledLines"/>) and, per thread with CPU samples there (busiest first,
    /// at most <see cref="SampledThreadLines"/>), its CPU and the leaf it was mostly in. O(samples) per thread line.
    /// </summary>
    private static (List<string> Lines, long InWindow) SampledLines(ExecutionTrace trace, long from, long to, IReadOnlyList<bool>? included, CancellationToken cancellationToken)
    {
        long end = to == long.MaxValue ? long.MaxValue : to + 1;
        var profile = SampledProfile.Compute(trace, new SampleScope { StartNs = from, EndNs = end }, included);
        long inWindow = profile.CpuSamples + profile.WaitingSamples;
        var lines = new List<string>();
        if (inWindow == 0)
        {
            lines.Add("- no stack samples in this window" + (trace.Samples.Count > 0 ? $" (the trace's {TraceText.Count(trace.Samples.Count)} samples run from +{TraceText.Duration(trace.Samples.TimeStartNs - trace.TimeStartNs)} to +{TraceText.Duration(trace.Samples.TimeEndNs - trace.TimeStartNs)})" : ""));
            return (lines, 0);
        }
        lines.AddRange(NarrativeBuilder.SampledLines(profile, functions: 5, paths: 3));
        cancellationToken.ThrowIfCancellationRequested();

        // Threads with CPU samples in the window, by CPU weight (ties: thread id).
        var perThread = new SortedDictionary<uint, long>();
        var times = trace.Samples.TimestampsNs;
        var threads = trace.Samples.ThreadIds;
        var weights = trace.Samples.WeightsNs;
        for (int i = ExecutionTrace.LowerBound(times, from); i < times.Length && times[i] < end; i++)
        {
            if ((included is null || included[i]) && trace.Samples.IsCpu(i))
                perThread[threads[i]] = perThread.GetValueOrDefault(threads[i]) + weights[i];
        }
        if (perThread.Count < 2)
            return (lines, inWindow);
        foreach (var (thread, _) in perThread.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(SampledThreadLines))
        {
            var own = SampledProfile.Compute(trace, new SampleScope { ThreadId = thread, StartNs = from, EndNs = end }, included);
            var top = own.Functions.Count > 0 ? own.Functions[0] : null;
            string mostly = top is null || own.CpuNs <= 0 ? "" : $", mostly in {top.Name} ({Share(top.SelfNs, own.CpuNs)} self)";
            string waiting = own.WaitingSamples > 0 ? $"; {TraceText.Count(own.WaitingSamples)} waiting" : "";
            lines.Add($"- {SampleText.Thread(trace, thread)}: {TraceText.Count(own.CpuSamples)} CPU samples ({TraceText.Duration(own.CpuNs)}){mostly}{waiting}");
        }
        return (lines, inWindow);
    }

    private static string Share(long part, long whole) =>
        (whole <= 0 ? 0 : part * 100.0 / whole).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>The line saying the window has no detail, and where the nearest detail record is.</summary>
    private static string NearestDetail(ExecutionTrace trace, Anchor anchor, (int Lo, int Hi)[] ranges)
    {
        int best = -1;
        long bestDistance = long.MaxValue;
        var seqs = trace.DetailSeqs;
        foreach (var thread in trace.Threads)
        {
            if (!thread.HasDetail)
                continue;
            var (lo, hi) = ranges[thread.Index];
            for (int e = lo - 1; e >= thread.Start; e--)
            {
                if (seqs[e] != TraceEvent.NoDetail)
                {
                    Consider(e);
                    break;
                }
            }
            for (int e = hi; e < thread.End; e++)
            {
                if (seqs[e] != TraceEvent.NoDetail)
                {
                    Consider(e);
                    break;
                }
            }
        }
        if (best < 0)
            return "- no detail records in this window, nor anywhere in the trace: index data only";
        long offset = trace.Timestamps[best] - anchor.StartNs;
        return $"- no detail records in this window (index data only); the nearest window with detail is around {trace.GetEventRef(best)} "
            + $"({TraceText.KindInLine(trace.Kinds[best])} {trace.GetFunctionName(trace.FunctionOrdinals[best])}, {TraceText.Offset(offset)} from the anchor): anchor there for arguments and registers";

        void Consider(int e)
        {
            long d = Math.Abs(trace.Timestamps[e] - anchor.StartNs);
            if (d < bestDistance || (d == bestDistance && e < best))
                (best, bestDistance) = (e, d);
        }
    }
}
