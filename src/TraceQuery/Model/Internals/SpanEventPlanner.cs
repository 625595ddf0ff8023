namespace TraceQuery.Model.Internals;

/// <summary>
/// Turns one thread's spans into its sorted events, the explicit links <see cref="SpanBuilder.PairExplicit"/>
/// pairs by, and the messages keyed by position. Ties at one timestamp are ordered so that nesting stays
/// well-formed: spans that end there close first (innermost first), then spans that start there open
/// (outermost first), then zero-length spans close (innermost first).
/// </summary>
internal static class SpanEventPlanner
{
    private readonly record struct Key(ulong Time, byte Class, long Depth, int Order, int Span, EventKind Kind, int Exception) : IComparable<Key>
    {
        public int CompareTo(Key other)
        {
            int c = Time.CompareTo(other.Time);
            if (c != 0)
                return c;
            c = Class.CompareTo(other.Class);
            if (c != 0)
                return c;
            c = Depth.CompareTo(other.Depth);
            return c != 0 ? c : Order.CompareTo(other.Order);
        }
    }

    /// <summary>Plans the events of <paramref name="spanIndices"/> (all on thread <paramref name="threadId"/>).</summary>
    public static (TraceEvent[] Events, int[] Links, Dictionary<int, string> Messages) Plan(
        uint threadId, List<int> spanIndices, PlannedSpan[] spans, List<SpanException> exceptions)
    {
        var keys = new List<Key>(spanIndices.Count * 2);
        int order = 0;
        foreach (int s in spanIndices)
        {
            ref var span = ref spans[s];
            ulong start = span.Record.StartNs;
            ulong? end = span.Record.EndNs is { } e && e < start ? start : span.Record.EndNs;
            span.Record = span.Record with { EndNs = end };
            bool zero = end == start;
            long depth = span.Depth;
            keys.Add(new Key(start, 1, depth, order++, s, EventKind.Call, -1));
            if (span.FirstException >= 0)
            {
                for (int x = span.FirstException; x >= 0; x = exceptions[x].Next)
                {
                    ulong t = Math.Max(exceptions[x].TimestampNs, start);
                    if (end is { } stop && t > stop)
                        t = stop;
                    keys.Add(ExceptionKey(t, start, zero, depth, order++, s, x));
                }
            }
            if (end is { } finish)
                keys.Add(new Key(finish, zero ? (byte)2 : (byte)0, -depth, order++, s, EventKind.Return, -1));
        }
        var sorted = keys.ToArray();
        Array.Sort(sorted);

        var events = new TraceEvent[sorted.Length];
        var links = new int[sorted.Length];
        var messages = new Dictionary<int, string>();
        for (int i = 0; i < sorted.Length; i++)
        {
            var key = sorted[i];
            ref var span = ref spans[key.Span];
            events[i] = new TraceEvent(key.Time, span.Record.FunctionId, threadId, key.Kind, span.Depth);
            switch (key.Kind)
            {
                case EventKind.Call:
                    span.CallPosition = i;
                    int parent = span.Parent;
                    // Only a parent on this thread whose CALL came first is linked (spans are numbered by their CALL).
                    links[i] = parent >= 0 && spans[parent].Record.ThreadId == threadId && spans[parent].CallPosition >= 0
                        && spans[parent].CallPosition < i ? spans[parent].CallPosition : -1;
                    if (span.Record.Message is { } message)
                        messages[i] = message;
                    break;
                case EventKind.Exception:
                    links[i] = span.CallPosition;
                    string? text = exceptions[key.Exception].Message;
                    if (!string.IsNullOrEmpty(text))
                        messages[i] = text;
                    break;
                default:
                    links[i] = span.CallPosition;
                    break;
            }
        }
        return (events, links, messages);
    }

    private static Key ExceptionKey(ulong time, ulong start, bool zero, long depth, int order, int span, int exception) =>
        time == start
            ? new Key(time, 1, depth, order, span, EventKind.Exception, exception)
            : new Key(time, zero ? (byte)2 : (byte)0, -depth, order, span, EventKind.Exception, exception);
}
