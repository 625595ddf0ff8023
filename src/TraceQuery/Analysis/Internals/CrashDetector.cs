using TraceQuery.Model;
using TraceQuery.Text;
using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Crashes and abrupt ends, then exceptions. A thread whose recording stops is critical (with where it stood, the open
/// stack outermost first, its last exception and what the recovery lost): its last event is an EXCEPTION; or an
/// EXCEPTION then the throwing frame's RETURN with outer frames still open (the original tracer's layout, ATF.md); or
/// its index file has no footer (the writer was killed). Open frames on a finished thread that ended early are not
/// enough on their own: generated and written-back traces leave root frames open by design. Other exceptions are folded per function (medium).
/// </summary>
internal static class CrashDetector
{
    public static IEnumerable<Finding> Detect(SpanStatistics stats, List<int> exceptionEvents, AnalyzerOptions options)
    {
        var trace = stats.Trace;
        var spans = stats.Spans;
        var findings = new List<Finding>();
        var diedOf = new HashSet<int>();
        var stoppedThreads = new HashSet<uint>();
        foreach (var thread in trace.Threads)
        {
            if (thread.Count == 0 || thread.Track != SpanTrack.Thread)
                continue;
            int last = thread.End - 1;
            var kinds = trace.Kinds;
            bool endsOnException = kinds[last] == (byte)EventKind.Exception;
            bool exceptionThenReturn = !endsOnException && thread.Count >= 2 && kinds[last] == (byte)EventKind.Return
                && kinds[last - 1] == (byte)EventKind.Exception && trace.FunctionOrdinals[last] == trace.FunctionOrdinals[last - 1]
                && trace.Depths[last] == trace.Depths[last - 1];
            var open = OpenStack(trace, spans, thread, endsOnException);
            bool cut = !thread.Recovery.IndexFinalized;
            if (!(endsOnException || (exceptionThenReturn && open.Count > 0) || cut))
                continue;
            if (stats.Included is not null && !AnyIncluded(stats, spans, thread))
                continue;
            int lastException = -1;
            for (int e = last; e >= thread.Start; e--)
            {
                if (kinds[e] == (byte)EventKind.Exception)
                {
                    lastException = e;
                    break;
                }
            }
            stoppedThreads.Add(thread.Id);
            if (endsOnException)
                diedOf.Add(last);
            else if (exceptionThenReturn)
                diedOf.Add(last - 1);
            findings.Add(Stopped(trace, spans, thread, open, endsOnException || exceptionThenReturn ? (endsOnException ? last : last - 1) : -1,
                lastException, cut, options));
        }

        var survived = new SortedDictionary<ulong, List<int>>();
        foreach (int e in exceptionEvents)
        {
            if (diedOf.Contains(e))
                continue;
            ulong fn = trace.GetFunctionId(e);
            if (!survived.TryGetValue(fn, out var list))
                survived[fn] = list = [];
            list.Add(e);
        }

        var propagation = new FailurePropagation(trace, exceptionEvents);
        foreach (var (fn, events) in survived)
        {
            var threads = events.Select(e => trace.GetThreadOfEvent(e).Id).Distinct().Order().ToList();
            var laterStopped = threads.Where(stoppedThreads.Contains).ToList();
            int followed = events.Count(e => spans.SpanOfEvent[e] is int s and >= 0 && propagation.FollowedFailedCallee(s));
            var evidence = new List<EvidenceRef> { EvidenceRef.ForFunction(fn) };
            evidence.AddRange(events.Take(options.Exemplars).Select(e => EvidenceRef.ForEvent(trace.GetEventRef(e))));
            evidence.AddRange(events.Take(options.Exemplars).Select(e => spans.SpanOfEvent[e]).Where(s => s >= 0).Distinct().Select(EvidenceRef.ForSpan));
            var f = new FigureSet();
            var raised = f.Add("exceptions", FigureMeasure.Count, FigureBasis.SurvivedExceptions, events.Count, EvidenceRef.ForFunction(fn));
            var first = f.Add("first", FigureMeasure.Time, FigureBasis.EventTime, trace.Timestamps[events[0]] - trace.TimeStartNs, EvidenceRef.ForEvent(trace.GetEventRef(events[0])));
            findings.Add(new Finding(
                FindingKind.Exception,
                Severity.Medium,
                $"{Name(trace, fn)} raised {raised} exception{(events.Count == 1 ? "" : "s")}",
                $"{raised} EXCEPTION event{(events.Count == 1 ? "" : "s")} in {Name(trace, fn)} ({trace.Symbols.GetModuleName(fn)}) "
                + $"on thread{(threads.Count == 1 ? "" : "s")} {string.Join(", ", threads)}; "
                + (laterStopped.Count == 0 ? $"the thread{(threads.Count == 1 ? "" : "s")} went on afterwards. "
                    : $"execution went on after each, but thread{(laterStopped.Count == 1 ? "" : "s")} {string.Join(", ", laterStopped)} later stopped abruptly (see the crash finding). ")
                + $"First at {first}."
                + Followed(followed == 0 ? null : f.Add("after a failed callee", FigureMeasure.Count, FigureBasis.ExceptionsAfterFailedCallee, followed,
                    EvidenceRef.ForFunction(fn), printed: followed < events.Count), events.Count)
                + FirstMessages(trace, events, options.Exemplars),
                evidence,
                fn,
                ErrorDetector.RootCauseScore(events.Count - followed, events.Count))
            { Figures = f.Figures });
        }
        return findings;
    }

    /// <summary>The sentence on failures that followed a failed callee (<paramref name="followed"/> of <paramref name="count"/>); empty when none did.</summary>
    internal static string Followed(Figure? followed, int count) => followed switch
    {
        null => "",
        { Value: var v } when v >= count => " Each followed a callee that failed first, so the root cause is below it.",
        { } some => $" {some} of them followed a callee that failed first.",
    };

    /// <summary>True when a selection includes any span of <paramref name="thread"/> (a filtered analysis reports only the threads it touches).</summary>
    private static bool AnyIncluded(SpanStatistics stats, CallSpans spans, TraceThread thread)
    {
        var (first, end) = spans.GetThreadRange(thread.Index);
        for (int s = first; s < end; s++)
        {
            if (stats.IsIncluded(s))
                return true;
        }
        return false;
    }

    /// <summary>The frames still open when the thread's events end, outermost first (for a thread that died of its last EXCEPTION, the frames it unwound).</summary>
    private static List<int> OpenStack(ExecutionTrace trace, CallSpans spans, TraceThread thread, bool endsOnException)
    {
        var open = new List<int>();
        if (endsOnException)
        {
            for (int s = spans.SpanOfEvent[thread.End - 1]; s >= 0 && open.Count < 64; s = spans.Parents[s])
                open.Add(s);
            open.Reverse();
            return open;
        }
        var (first, end) = spans.GetThreadRange(thread.Index);
        for (int s = first; s < end; s++)
        {
            if (spans.GetEndEvent(s) < 0 && spans.Statuses[s] == SpanStatus.Unmatched)
                open.Add(s);
        }
        // Spans are numbered by their CALL, so an open frame's callers come before it.
        return open;
    }

    private static Finding Stopped(ExecutionTrace trace, CallSpans spans, TraceThread thread, List<int> open, int fatal, int lastException, bool cut, AnalyzerOptions options)
    {
        int last = thread.End - 1;
        string path = string.Join(" > ", open.Select(s => Name(trace, trace.GetFunctionId(spans.StartEvents[s]))));
        ulong culprit = fatal >= 0 ? trace.GetFunctionId(fatal) : open.Count > 0 ? trace.GetFunctionId(spans.StartEvents[open[^1]]) : trace.GetFunctionId(last);
        var lastEvent = trace.GetEventRef(last);
        var f = new FigureSet();
        var text = new System.Text.StringBuilder();
        string label = "thread " + thread.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (fatal >= 0)
        {
            var fatalEvent = trace.GetEventRef(fatal);
            var depth = f.Event("depth", FigureMeasure.Depth, FigureBasis.EventDepth, trace.Depths[fatal], fatalEvent);
            var when = f.Event("raised at", FigureMeasure.Time, FigureBasis.EventTime, trace.Timestamps[fatal] - trace.TimeStartNs, fatalEvent);
            text.Append($"Thread {thread.Id} {(fatal == last ? "ends with" : "died of")} an EXCEPTION raised in {Name(trace, culprit)} at depth {depth}, "
                + $"{when} into the trace"
                + (fatal == last ? "; nothing after it returned." : $"; after it only the throwing frame returned and the thread's events end."));
            if (trace.TryGetMessage(fatal, out string message))
                text.Append($" Exception: {TextFormat.Message(message)}.");
        }
        else
        {
            var stops = f.Event("stops at", FigureMeasure.Time, FigureBasis.EventTime, trace.Timestamps[last] - trace.TimeStartNs, lastEvent);
            var length = f.TraceLength(trace.TimeEndNs - trace.TimeStartNs, printed: false);
            string before = "";
            if (trace.TimeEndNs > thread.TimeEndNs)
                before = $", {f.Combine("before the end", FigureMeasure.Duration, FigureBasis.Difference, length, stops)} before the trace ends";
            text.Append($"The recording of thread {thread.Id} stops at {stops} into the trace" + before
                + (cut ? ", without the footer a finished thread writes (the writer was killed or never finalized it)." : "."));
        }
        if (open.Count == 0)
        {
            text.Append(" No frame was open.");
        }
        else
        {
            // A thread that died of its last EXCEPTION: the frames that exception unwound; otherwise the calls that never ended.
            var frames = fatal == last
                ? f.Event("open frames", FigureMeasure.Depth, FigureBasis.OpenFrames, open.Count, lastEvent)
                : f.Event("open frames", FigureMeasure.Depth, FigureBasis.OpenAtEnd, open.Count, lastEvent);
            text.Append($" Open stack ({frames} frame{(open.Count == 1 ? "" : "s")}, outermost first): {path}.");
        }
        if (fatal < 0 && lastException >= 0)
        {
            var when = f.Event("last exception", FigureMeasure.Time, FigureBasis.EventTime, trace.Timestamps[lastException] - trace.TimeStartNs, trace.GetEventRef(lastException));
            text.Append($" Last exception: {Name(trace, trace.GetFunctionId(lastException))} at {when}");
            text.Append(trace.TryGetMessage(lastException, out string lastMessage) ? $" ({TextFormat.Message(lastMessage)})." : ".");
        }
        string lost = Lost(thread.Recovery, f, lastEvent);
        if (lost.Length > 0)
            text.Append(" Recovery: ").Append(lost).Append('.');

        var evidence = new List<EvidenceRef> { EvidenceRef.ForEvent(trace.GetEventRef(fatal >= 0 ? fatal : last)) };
        evidence.AddRange(Enumerable.Reverse(open).Select(EvidenceRef.ForSpan));
        for (int i = last; i >= Math.Max(thread.Start, last - options.EventsBeforeCrash); i--)
        {
            if (i != fatal)
                evidence.Add(EvidenceRef.ForEvent(trace.GetEventRef(i)));
        }
        evidence.Add(EvidenceRef.ForFunction(culprit));
        string title = fatal >= 0
            ? $"Crash in {Name(trace, culprit)} ({trace.Symbols.GetModuleName(culprit)}) on {label}"
            : $"Recording of {label} stopped abruptly" + (open.Count > 0 ? $" inside {Name(trace, culprit)}" : "");
        // A death by exception outranks a cut recording; deeper open stacks say more.
        return new Finding(FindingKind.Crash, Severity.Critical, title, text.ToString(), evidence, culprit,
            Score: (fatal >= 0 ? 2_000_000 : 1_000_000) + open.Count)
        { Figures = f.Figures };
    }

    /// <summary>What the reader recovered and dropped for a thread, in words, each number a figure over the thread's files; empty for a clean thread.</summary>
    private static string Lost(ThreadRecovery r, FigureSet f, EventRef thread)
    {
        var parts = new List<string>();
        if (r.IndexEmptyFile)
            parts.Add("index.atf is empty (nothing reached the disk)");
        else if (!r.IndexFinalized)
            parts.Add($"{f.Event("events recovered", FigureMeasure.Count, FigureBasis.EventsRecovered, r.EventsRecovered, thread)} events recovered from an index without footer (the events still in the writer's buffer are lost)");
        if (r.IndexBytesIgnored > 0)
            parts.Add($"{f.Event("index bytes ignored", FigureMeasure.Bytes, FigureBasis.IndexBytesIgnored, r.IndexBytesIgnored, thread)} index bytes ignored");
        if (r.DetailBytesIgnored > 0)
            parts.Add($"{f.Event("detail bytes ignored", FigureMeasure.Bytes, FigureBasis.DetailBytesIgnored, r.DetailBytesIgnored, thread)} bytes of a cut detail record ignored");
        if (r.DetailLinksDropped > 0)
            parts.Add($"{f.Event("detail links dropped", FigureMeasure.Count, FigureBasis.DetailLinksDropped, r.DetailLinksDropped, thread)} detail links dropped");
        return string.Join(", ", parts);
    }

    /// <summary>The distinct messages of the first exceptions (up to <paramref name="limit"/>), as a sentence; empty when none has one.</summary>
    private static string FirstMessages(ExecutionTrace trace, List<int> events, int limit)
    {
        var messages = new List<string>();
        foreach (int e in events)
        {
            if (messages.Count >= Math.Max(1, limit))
                break;
            if (trace.TryGetMessage(e, out string message) && !messages.Contains(message))
                messages.Add(message);
        }
        return messages.Count == 0 ? "" : " Messages: " + string.Join("; ", messages.Select(m => TextFormat.Message(m))) + ".";
    }
}
