namespace TraceQuery.Model.Internals;

/// <summary>Pairs one thread's events into spans with a stack of open frames (local ids, offset later).</summary>
internal sealed class SpanBuilder
{
    private readonly List<int> _starts = [];
    private readonly List<int> _ends = [];
    private readonly List<int> _parents = [];
    private readonly List<SpanStatus> _statuses = [];
    private readonly List<bool> _raised = [];

    public int Count => _starts.Count;

    public void Pair(ExecutionTrace trace, TraceThread thread, int[] spanOfEvent)
    {
        var kinds = trace.Kinds;
        var ordinals = trace.FunctionOrdinals;
        var depths = trace.Depths;
        var stack = new List<int>();
        for (int e = thread.Start; e < thread.End; e++)
        {
            switch ((EventKind)kinds[e])
            {
                case EventKind.Call:
                    {
                        int id = Add(e, -1, stack.Count > 0 ? stack[^1] : -1, SpanStatus.Unmatched);
                        stack.Add(id);
                        spanOfEvent[e] = id;
                        break;
                    }
                case EventKind.Return:
                    {
                        int at = Find(stack, ordinals[e], depths[e], ordinals, depths);
                        if (at < 0)
                        {
                            spanOfEvent[e] = Add(e, e, stack.Count > 0 ? stack[^1] : -1, SpanStatus.OrphanReturn);
                            break;
                        }
                        // Frames above the matched one lost their RETURN: closed here, but not by themselves.
                        for (int i = stack.Count - 1; i > at; i--)
                            Close(stack[i], e, SpanStatus.Unmatched);
                        int span = stack[at];
                        Close(span, e, SpanStatus.Complete);
                        stack.RemoveRange(at, stack.Count - at);
                        spanOfEvent[e] = span;
                        break;
                    }
                default: // Exception: raised in the frame it names; frames above it are unwound.
                    {
                        int at = Find(stack, ordinals[e], depths[e], ordinals, depths);
                        if (at < 0)
                        {
                            spanOfEvent[e] = stack.Count > 0 ? stack[^1] : -1;
                            if (stack.Count > 0)
                                _raised[stack[^1]] = true;
                            break;
                        }
                        for (int i = stack.Count - 1; i > at; i--)
                            Close(stack[i], e, SpanStatus.Unwound);
                        stack.RemoveRange(at + 1, stack.Count - at - 1);
                        _raised[stack[at]] = true;
                        spanOfEvent[e] = stack[at];
                        break;
                    }
            }
        }

        // Frames still open: a thread whose last event is an EXCEPTION died of it; otherwise it simply stopped.
        if (stack.Count > 0)
        {
            int last = thread.End - 1;
            bool crashed = kinds[last] == (byte)EventKind.Exception;
            foreach (int span in stack)
                Close(span, crashed ? last : -1, crashed ? SpanStatus.Unwound : SpanStatus.Unmatched);
        }
    }

    /// <summary>Pairs a span-based thread by the links its source stated (<see cref="ExplicitSpanLinks"/>), not by depth.</summary>
    public void PairExplicit(ExecutionTrace trace, TraceThread thread, int[] spanOfEvent, int[] links)
    {
        var kinds = trace.Kinds;
        for (int e = thread.Start; e < thread.End; e++)
        {
            int link = links[e];
            switch ((EventKind)kinds[e])
            {
                case EventKind.Call:
                    spanOfEvent[e] = Add(e, -1, link >= 0 ? spanOfEvent[link] : -1, SpanStatus.Unmatched);
                    break;
                case EventKind.Return:
                    if (link < 0)
                    {
                        spanOfEvent[e] = Add(e, e, -1, SpanStatus.OrphanReturn);
                        break;
                    }
                    spanOfEvent[e] = spanOfEvent[link];
                    Close(spanOfEvent[e], e, trace.TryGetErrorStatus(link, out _) ? SpanStatus.Error : SpanStatus.Complete);
                    break;
                default:
                    spanOfEvent[e] = link >= 0 ? spanOfEvent[link] : -1;
                    if (link >= 0)
                        _raised[spanOfEvent[e]] = true;
                    break;
            }
        }

        // Spans still open: a thread whose last event is an EXCEPTION died of it; otherwise it simply stopped.
        if (thread.Count > 0)
        {
            int last = thread.End - 1;
            bool crashed = kinds[last] == (byte)EventKind.Exception;
            for (int s = 0; s < _ends.Count; s++)
            {
                if (_ends[s] < 0 && crashed)
                    Close(s, last, SpanStatus.Unwound);
            }
        }
    }

    private int Find(List<int> stack, int ordinal, uint depth, ReadOnlySpan<int> ordinals, ReadOnlySpan<uint> depths)
    {
        int limit = Math.Max(0, stack.Count - CallSpans.MaxMatchDepth);
        for (int i = stack.Count - 1; i >= limit; i--)
        {
            int start = _starts[stack[i]];
            if (ordinals[start] == ordinal && depths[start] == depth)
                return i;
        }
        return -1;
    }

    private int Add(int start, int end, int parent, SpanStatus status)
    {
        _starts.Add(start);
        _ends.Add(end);
        _parents.Add(parent);
        _statuses.Add(status);
        _raised.Add(false);
        return _starts.Count - 1;
    }

    private void Close(int span, int end, SpanStatus status)
    {
        _ends[span] = end;
        _statuses[span] = status;
    }

    public void CopyTo(int offset, int[] starts, int[] ends, int[] parents, SpanStatus[] statuses, bool[] raised)
    {
        for (int i = 0; i < _starts.Count; i++)
        {
            starts[offset + i] = _starts[i];
            ends[offset + i] = _ends[i];
            int parent = _parents[i];
            parents[offset + i] = parent < 0 ? -1 : parent + offset;
            statuses[offset + i] = _statuses[i];
            raised[offset + i] = _raised[i];
        }
    }
}
