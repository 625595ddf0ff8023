using TraceQuery.Model;
using TraceQuery.Text;
using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Exceptions: a thread whose last event is an EXCEPTION crashed there (critical, with the open stack and
/// the events just before); other exceptions are folded per function (medium).
/// </summary>
internal static class CrashDetector
{
    public static IEnumerable<Finding> Detect(SpanStatistics stats, List<int> exceptionEvents, AnalyzerOptions options)
    {
        var trace = stats.Trace;
        var spans = stats.Spans;
        var survived = new SortedDictionary<ulong, List<int>>();
        foreach (int e in exceptionEvents)
        {
            var thread = trace.GetThreadOfEvent(e);
            ulong fn = trace.GetFunctionId(e);
            if (e != thread.End - 1)
            {
                if (!survived.TryGetValue(fn, out var list))
                    survived[fn] = list = [];
                list.Add(e);
                continue;
            }

            // The open stack at the crash, innermost first.
            var stack = new List<int>();
            for (int s = spans.SpanOfEvent[e]; s >= 0 && stack.Count < 64; s = spans.Parents[s])
                stack.Add(s);
            string path = string.Join(" > ", Enumerable.Reverse(stack).Select(s => Name(trace, trace.GetFunctionId(spans.StartEvents[s]))));
            var evidence = new List<EvidenceRef> { EvidenceRef.ForEvent(trace.GetEventRef(e)) };
            evidence.AddRange(stack.Select(EvidenceRef.ForSpan));
            for (int i = e - 1; i >= Math.Max(thread.Start, e - options.EventsBeforeCrash); i--)
                evidence.Add(EvidenceRef.ForEvent(trace.GetEventRef(i)));
            evidence.Add(EvidenceRef.ForFunction(fn));
            string module = trace.Symbols.GetModuleName(fn);
            var at = EvidenceRef.ForEvent(trace.GetEventRef(e));
            var f = new FigureSet();
            var depth = f.Add("depth", FigureMeasure.Depth, FigureBasis.EventDepth, trace.Depths[e], at);
            var time = f.Add("time", FigureMeasure.Time, FigureBasis.EventTime, trace.Timestamps[e] - trace.TimeStartNs, at);
            var frames = f.Add("open frames", FigureMeasure.Depth, FigureBasis.OpenFrames, stack.Count, at);
            yield return new Finding(
                FindingKind.Crash,
                Severity.Critical,
                $"Crash in {Name(trace, fn)} ({module}) on thread {thread.Id}",
                $"Thread {thread.Id} ends with an EXCEPTION raised in {Name(trace, fn)} at depth {depth}, "
                + $"{time} into the trace; nothing after it returned. "
                + $"Open stack ({frames} frames, outermost first): {path}."
                + (trace.TryGetMessage(e, out string message) ? $" Exception: {TextFormat.Message(message)}." : ""),
                evidence,
                fn,
                Score: 1_000_000 + stack.Count)
            { Figures = f.Figures };
        }

        foreach (var (fn, events) in survived)
        {
            var threads = events.Select(e => trace.GetThreadOfEvent(e).Id).Distinct().Order().ToList();
            var evidence = new List<EvidenceRef> { EvidenceRef.ForFunction(fn) };
            evidence.AddRange(events.Take(options.Exemplars).Select(e => EvidenceRef.ForEvent(trace.GetEventRef(e))));
            evidence.AddRange(events.Take(options.Exemplars).Select(e => spans.SpanOfEvent[e]).Where(s => s >= 0).Distinct().Select(EvidenceRef.ForSpan));
            var f = new FigureSet();
            var raised = f.Add("exceptions", FigureMeasure.Count, FigureBasis.Exceptions, events.Count, EvidenceRef.ForFunction(fn));
            var first = f.Add("first", FigureMeasure.Time, FigureBasis.EventTime, trace.Timestamps[events[0]] - trace.TimeStartNs, EvidenceRef.ForEvent(trace.GetEventRef(events[0])));
            yield return new Finding(
                FindingKind.Exception,
                Severity.Medium,
                $"{Name(trace, fn)} raised {raised} exception{(events.Count == 1 ? "" : "s")}",
                $"{raised} EXCEPTION event{(events.Count == 1 ? "" : "s")} in {Name(trace, fn)} ({trace.Symbols.GetModuleName(fn)}) "
                + $"on thread{(threads.Count == 1 ? "" : "s")} {string.Join(", ", threads)}; the threads went on afterwards. "
                + $"First at {first}."
                + FirstMessages(trace, events, options.Exemplars),
                evidence,
                fn,
                events.Count)
            { Figures = f.Figures };
        }
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
