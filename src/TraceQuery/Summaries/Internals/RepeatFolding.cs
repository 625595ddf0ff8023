using System.Text;
using TraceQuery.Analysis;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Summaries.Internals;

/// <summary>
/// Folds repeats in an event listing: a run of consecutive listed events of one thread with the same function and
/// depth (calls and returns, no exceptions) that covers at least <see cref="MinimumSpans"/> spans becomes one line
/// with the count folded away and the run's exemplar spans. Streaming: one run is buffered at a time.
/// </summary>
internal static class RepeatFolding
{
    /// <summary>Runs covering fewer spans stay as separate lines.</summary>
    public const int MinimumSpans = 3;

    /// <summary>One output unit: a single event, or a folded run of events (<see cref="Events"/> has more than one).</summary>
    public sealed record Run(IReadOnlyList<int> Events)
    {
        public int First => Events[0];
        public bool Folded => Events.Count > 1;
    }

    /// <summary>Groups <paramref name="events"/> (event indices, each thread's in time order) into runs.</summary>
    public static IEnumerable<Run> Fold(ExecutionTrace trace, IEnumerable<int> events)
    {
        var pending = new List<int>();
        int pendingThreadEnd = -1, pendingThreadStart = -1;
        foreach (int e in events)
        {
            bool repeatable = trace.Kinds[e] != (byte)EventKind.Exception;
            if (pending.Count > 0)
            {
                int head = pending[0];
                bool same = repeatable && e >= pendingThreadStart && e < pendingThreadEnd
                    && trace.FunctionOrdinals[e] == trace.FunctionOrdinals[head] && trace.Depths[e] == trace.Depths[head];
                if (same)
                {
                    pending.Add(e);
                    continue;
                }
                foreach (var run in Flush(trace, pending))
                    yield return run;
            }
            if (!repeatable)
            {
                yield return new Run([e]);
                continue;
            }
            pending.Add(e);
            var thread = trace.GetThreadOfEvent(e);
            (pendingThreadStart, pendingThreadEnd) = (thread.Start, thread.End);
        }
        foreach (var run in Flush(trace, pending))
            yield return run;
    }

    /// <summary>
    /// How many single lines and folded lines <see cref="Fold"/> would give, without allocating per event (the same rule:
    /// a run's spans are counted as changes of span along it, since one function's frames at one depth never interleave).
    /// </summary>
    public static (long Singles, long Folded) Count(ExecutionTrace trace, IEnumerable<int> events)
    {
        long singles = 0, folded = 0;
        int head = -1, previous = -1, length = 0, spans = 0, threadStart = -1, threadEnd = -1;
        var spanOfEvent = trace.Spans.SpanOfEvent;
        void Close()
        {
            if (length == 0)
                return;
            if (spans >= MinimumSpans)
                folded++;
            else
                singles += length;
            length = 0;
        }
        foreach (int e in events)
        {
            bool repeatable = trace.Kinds[e] != (byte)EventKind.Exception;
            if (length > 0 && repeatable && e >= threadStart && e < threadEnd
                && trace.FunctionOrdinals[e] == trace.FunctionOrdinals[head] && trace.Depths[e] == trace.Depths[head])
            {
                if (spanOfEvent[e] >= 0 && spanOfEvent[e] != spanOfEvent[previous])
                    spans++;
                previous = e;
                length++;
                continue;
            }
            Close();
            if (!repeatable)
            {
                singles++;
                continue;
            }
            (head, previous, length, spans) = (e, e, 1, spanOfEvent[e] >= 0 ? 1 : 0);
            var thread = trace.GetThreadOfEvent(e);
            (threadStart, threadEnd) = (thread.Start, thread.End);
        }
        Close();
        return (singles, folded);
    }

    /// <summary>Distinct spans of a run's events, in order of first appearance.</summary>
    public static List<int> SpansOf(ExecutionTrace trace, IReadOnlyList<int> events)
    {
        var spanOfEvent = trace.Spans.SpanOfEvent;
        var spans = new List<int>();
        var seen = new HashSet<int>();
        foreach (int e in events)
        {
            int s = spanOfEvent[e];
            if (s >= 0 && seen.Add(s))
                spans.Add(s);
        }
        return spans;
    }

    /// <summary>
    /// A folded run as one line: <c>event:0:100..event:0:219 ×60 checksum_block depth 5 (120 events folded; fastest span:… slowest span:…)</c>,
    /// prefixed by <paramref name="prefix"/> (e.g. a time offset).
    /// </summary>
    public static string Render(ExecutionTrace trace, Run run, string prefix = "")
    {
        var spans = SpansOf(trace, run.Events);
        var exemplars = SpanExemplars.Of(trace, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(spans));
        int first = run.Events[0], last = run.Events[^1];
        var text = new StringBuilder("- ").Append(prefix)
            .Append(trace.GetEventRef(first)).Append("..").Append(trace.GetEventRef(last))
            .Append(" ×").Append(TraceText.Count(spans.Count)).Append(' ')
            .Append(trace.GetFunctionName(trace.FunctionOrdinals[first])).Append(" depth ").Append(trace.Depths[first])
            .Append(" (").Append(TraceText.Count(run.Events.Count)).Append(" events folded");
        if (exemplars is { } x)
            text.Append("; ").Append(x);
        return text.Append(')').ToString();
    }

    private static IEnumerable<Run> Flush(ExecutionTrace trace, List<int> pending)
    {
        if (pending.Count == 0)
            yield break;
        int spans = pending.Count >= MinimumSpans ? SpansOf(trace, pending).Count : 0;
        if (spans >= MinimumSpans)
        {
            yield return new Run([.. pending]);
        }
        else
        {
            foreach (int e in pending)
                yield return new Run([e]);
        }
        pending.Clear();
    }
}
