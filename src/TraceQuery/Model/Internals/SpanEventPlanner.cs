namespace TraceQuery.Model.Internals;

/// <summary>
/// Turns one thread's spans into its sorted events (<see cref="PlannedEvents"/>), their CALL positions and the messages
/// keyed by position. Ties at one timestamp are ordered so that nesting stays well-formed: spans that end there close
/// first (innermost first), then spans that start there open (outermost first), then zero-length spans close (innermost
/// first); events still tied keep the order they were planned in (span by span as added: CALL, exceptions, RETURN).
/// </summary>
/// <remarks>
/// The sort key is two primitive words: the time, and the tie-break packed as class (2 bits), depth (31 bits: a depth is
/// at most the number of spans) and plan order (31 bits: at most one per event), so the sort compares integers; the
/// event itself (span and which event of it) rides along in a parallel array and is all that is kept. One planner plans
/// every thread of a build, reusing its key array (sized to the largest thread).
/// </remarks>
internal sealed class SpanEventPlanner
{
    private const int OrderBits = 31;
    private const ulong DepthLimit = 1UL << 31;

    private Key[] _keys = [];

    private readonly struct Key(ulong time, ulong tie) : IComparable<Key>
    {
        private readonly ulong _time = time;
        private readonly ulong _tie = tie;

        public int CompareTo(Key other)
        {
            int c = _time.CompareTo(other._time);
            return c != 0 ? c : _tie.CompareTo(other._tie);
        }
    }

    /// <summary>
    /// Plans the events of <paramref name="spanIndices"/> (all on thread <paramref name="threadId"/>, in the order they
    /// were added): sets each span's CALL position in <see cref="SpanScratch.CallPositions"/> and adds its messages.
    /// </summary>
    public PlannedEvents Plan(uint threadId, ReadOnlySpan<int> spanIndices, SpanScratch scratch,
        List<(int Span, string Text)> spanMessages, Dictionary<EventRef, string> messages)
    {
        var spans = scratch.Spans;
        var exceptions = scratch.Exceptions;
        var depths = scratch.Depths;
        var firstException = scratch.FirstException;
        long total = 0;
        foreach (int s in spanIndices)
        {
            total += spans[s].HasEnd ? 2 : 1;
            if (firstException is not null)
            {
                for (int x = firstException[s]; x >= 0; x = exceptions[x].Next)
                    total++;
            }
        }
        if (total > Array.MaxLength)
            throw new InvalidOperationException($"Thread {threadId} holds {total:N0} events; at most {Array.MaxLength:N0} can be loaded at once.");

        if (_keys.Length < total)
        {
            _keys = [];
            _keys = GC.AllocateUninitializedArray<Key>((int)total);
        }
        var keys = _keys;
        var events = GC.AllocateUninitializedArray<long>((int)total);
        int order = 0;
        foreach (int s in spanIndices)
        {
            ref readonly var span = ref spans[s];
            ulong start = span.StartNs;
            bool hasEnd = span.HasEnd;
            ulong end = span.EndNs;
            bool zero = hasEnd && end == start;
            ulong depth = depths[s];
            ulong opening = (1UL << 62) | (depth << OrderBits);
            ulong closing = ((zero ? 2UL : 0UL) << 62) | ((DepthLimit - depth) << OrderBits);
            keys[order] = new Key(start, opening | (uint)order);
            events[order] = PlannedEvents.Encode(s, PlannedEvents.CallCode);
            order++;
            if (firstException is not null)
            {
                for (int x = firstException[s]; x >= 0; x = exceptions[x].Next)
                {
                    ulong t = Math.Max(exceptions[x].TimestampNs, start);
                    if (hasEnd && t > end)
                        t = end;
                    keys[order] = new Key(t, (t == start ? opening : closing) | (uint)order);
                    events[order] = PlannedEvents.Encode(s, x);
                    order++;
                }
            }
            if (hasEnd)
            {
                keys[order] = new Key(end, closing | (uint)order);
                events[order] = PlannedEvents.Encode(s, PlannedEvents.ReturnCode);
                order++;
            }
        }
        Array.Sort(keys, events, 0, events.Length);

        var callPositions = scratch.CallPositions;
        for (int i = 0; i < events.Length; i++)
        {
            (int s, int code) = PlannedEvents.Decode(events[i]);
            if (code == PlannedEvents.CallCode)
            {
                callPositions[s] = i;
                if (spans[s].HasMessage)
                    messages[new EventRef(threadId, (uint)i)] = Find(spanMessages, s);
            }
            else if (code >= 0 && exceptions[code].Message is { Length: > 0 } text)
            {
                messages[new EventRef(threadId, (uint)i)] = text;
            }
        }
        return new PlannedEvents(threadId, events, scratch);
    }

    /// <summary>The text of span <paramref name="span"/> in a list sorted by span.</summary>
    internal static string Find(List<(int Span, string Text)> list, int span)
    {
        int low = 0, high = list.Count - 1;
        while (low <= high)
        {
            int mid = (int)((uint)(low + high) >> 1);
            int at = list[mid].Span;
            if (at == span)
                return list[mid].Text;
            if (at < span)
                low = mid + 1;
            else
                high = mid - 1;
        }
        throw new InvalidOperationException($"Span {span} was marked as having a text that was not kept.");
    }
}
