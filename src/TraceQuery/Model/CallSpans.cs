using TraceQuery.Model.Internals;

namespace TraceQuery.Model;

/// <summary>
/// The call spans of a trace: every CALL paired with the RETURN that closes it (by function and depth,
/// per thread, or by the span identity a span-based source states, see <see cref="TraceBuilder.AddSpan"/>),
/// or with the EXCEPTION that unwinds it. Built once per trace on first use and cached
/// (<see cref="ExecutionTrace.Spans"/>); spans are numbered thread by thread in the order of their opening event,
/// so a span id is stable for a given trace and renders as <c>span:&lt;id&gt;</c>.
/// </summary>
/// <remarks>
/// Memory: 13 bytes and a bit per span plus 4 bytes per event (<see cref="SpanOfEvent"/>). Pairing is O(n) per thread;
/// a RETURN is matched against at most <see cref="MaxMatchDepth"/> open frames, so damaged input cannot
/// make it quadratic.
/// </remarks>
public sealed partial class CallSpans
{
    /// <summary>How many open frames, from the innermost, a RETURN or EXCEPTION is matched against.</summary>
    public const int MaxMatchDepth = 256;

    private readonly ExecutionTrace _trace;
    private readonly int[] _startEvents;
    private readonly int[] _endEvents;
    private readonly int[] _parents;
    private readonly SpanStatus[] _statuses;
    /// <summary>Bit s set when span s raised an exception: one bit per span, not a byte (issue 18's 32 bytes per event).</summary>
    private readonly ulong[] _raisedException;
    private readonly int[] _spanOfEvent;
    private readonly int[] _threadSpanStart;

    internal CallSpans(ExecutionTrace trace, int[] startEvents, int[] endEvents, int[] parents, SpanStatus[] statuses, bool[] raisedException, int[] spanOfEvent, int[] threadSpanStart)
    {
        (_trace, _startEvents, _endEvents, _parents) = (trace, startEvents, endEvents, parents);
        (_statuses, _spanOfEvent, _threadSpanStart) = (statuses, spanOfEvent, threadSpanStart);
        _raisedException = new ulong[(raisedException.Length + 63) >> 6];
        for (int s = 0; s < raisedException.Length; s++)
        {
            if (raisedException[s])
                _raisedException[s >> 6] |= 1UL << (s & 63);
        }
    }

    /// <summary>Number of spans.</summary>
    public int Count => _startEvents.Length;

    /// <summary>Per span, the index of the event that opened it (the CALL; for an orphan, the RETURN). Ascending.</summary>
    public ReadOnlySpan<int> StartEvents => _startEvents;

    /// <summary>Per span, the index of the event that closed it, or -1 when it was still open at the thread's end.</summary>
    public ReadOnlySpan<int> EndEvents => _endEvents;

    /// <summary>Per span, the id of the enclosing span, or -1 for a root frame.</summary>
    public ReadOnlySpan<int> Parents => _parents;

    /// <summary>Per span, how it ended.</summary>
    public ReadOnlySpan<SpanStatus> Statuses => _statuses;

    /// <summary>
    /// Per event, the span it belongs to: the span a CALL opens, the span a RETURN closes, the frame an
    /// EXCEPTION is raised in; -1 for an EXCEPTION outside any open frame.
    /// </summary>
    public ReadOnlySpan<int> SpanOfEvent => _spanOfEvent;

    /// <summary>Spans of the thread at <paramref name="threadIndex"/>: <c>[start, end)</c> in span ids.</summary>
    public (int Start, int End) GetThreadRange(int threadIndex) => (_threadSpanStart[threadIndex], _threadSpanStart[threadIndex + 1]);

    /// <summary>The event that closed span <paramref name="spanId"/>, or -1.</summary>
    public int GetEndEvent(int spanId) => _endEvents[spanId];

    /// <summary>True when an EXCEPTION was raised in this frame (not merely passed through it).</summary>
    public bool RaisedException(int spanId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spanId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(spanId, Count);
        return (_raisedException[spanId >> 6] & (1UL << (spanId & 63))) != 0;
    }

    /// <summary>Function ordinal (index into <see cref="ExecutionTrace.FunctionIds"/>) of the span.</summary>
    public int GetFunctionOrdinal(int spanId) => _trace.FunctionOrdinals[_startEvents[spanId]];

    /// <summary>Call depth of the span's frame (1 = outermost).</summary>
    public uint GetDepth(int spanId) => _trace.Depths[_startEvents[spanId]];

    /// <summary>The producer-convention marks of the span (aggregate row, envelope, pseudo-frame). O(1).</summary>
    public SpanMarks GetMarks(int spanId) => _trace.GetMarks(_startEvents[spanId]);

    /// <summary>The kind of lane the span runs on (its thread's <see cref="TraceThread.Track"/>). O(log threads).</summary>
    public SpanTrack GetTrack(int spanId) => _trace.Threads[GetThreadIndex(spanId)].Track;

    /// <summary>Timestamp at which the span started.</summary>
    public long GetStartTime(int spanId) => _trace.Timestamps[_startEvents[spanId]];

    /// <summary>Timestamp at which the span ended: its closing event, or the last event of its thread when still open.</summary>
    public long GetEndTime(int spanId)
    {
        int end = _endEvents[spanId];
        if (end >= 0)
            return _trace.Timestamps[end];
        var thread = _trace.Threads[GetThreadIndex(spanId)];
        return _trace.Timestamps[thread.End - 1];
    }

    /// <summary>End time minus start time (0 for an orphan return).</summary>
    public long GetDuration(int spanId) => GetEndTime(spanId) - GetStartTime(spanId);

    /// <summary>Index (in <see cref="ExecutionTrace.Threads"/>) of the span's thread. O(log threads).</summary>
    public int GetThreadIndex(int spanId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spanId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(spanId, Count);
        return RangeSearch.Find(_threadSpanStart, spanId);
    }

    /// <summary>Writes every span's duration into <paramref name="destination"/> (length ≥ <see cref="Count"/>). O(spans).</summary>
    public void GetDurations(Span<long> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Count, nameof(destination));
        Durations.CopyTo(destination);
    }

    /// <summary>
    /// Writes every span's self time (its duration minus the durations of its direct children) into
    /// <paramref name="selfTimes"/>, given the durations from <see cref="GetDurations"/>. O(spans).
    /// </summary>
    public void GetSelfTimes(ReadOnlySpan<long> durations, Span<long> selfTimes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(durations.Length, Count, nameof(durations));
        ArgumentOutOfRangeException.ThrowIfLessThan(selfTimes.Length, Count, nameof(selfTimes));
        durations[..Count].CopyTo(selfTimes);
        for (int s = 0; s < Count; s++)
        {
            int parent = _parents[s];
            if (parent >= 0)
                selfTimes[parent] -= durations[s];
        }
    }

    /// <summary>Everything about one span, for display and evidence.</summary>
    public CallSpan Get(int spanId) => new(
        spanId,
        _trace.Threads[GetThreadIndex(spanId)].Id,
        _trace.GetFunctionId(_startEvents[spanId]),
        GetDepth(spanId),
        GetStartTime(spanId),
        GetEndTime(spanId),
        _statuses[spanId],
        _parents[spanId],
        _startEvents[spanId],
        _endEvents[spanId],
        RaisedException(spanId));

    internal static CallSpans Build(ExecutionTrace trace)
    {
        int threadCount = trace.Threads.Count;
        var perThread = new SpanBuilder[threadCount];
        var spanOfEvent = GC.AllocateUninitializedArray<int>(trace.EventCount);
        void BuildThread(int t)
        {
            var builder = new SpanBuilder();
            if (trace.SpanLinks is { } links && links.ThreadIsExplicit[t])
                builder.PairExplicit(trace, trace.Threads[t], spanOfEvent, links.Links);
            else
                builder.Pair(trace, trace.Threads[t], spanOfEvent);
            perThread[t] = builder;
        }
        if (trace.EventCount > 1 << 20 && threadCount > 1)
            Parallel.For(0, threadCount, BuildThread);
        else
            for (int t = 0; t < threadCount; t++)
                BuildThread(t);

        var threadSpanStart = new int[threadCount + 1];
        for (int t = 0; t < threadCount; t++)
            threadSpanStart[t + 1] = threadSpanStart[t] + perThread[t].Count;
        int total = threadSpanStart[threadCount];
        var starts = GC.AllocateUninitializedArray<int>(total);
        var ends = GC.AllocateUninitializedArray<int>(total);
        var parents = GC.AllocateUninitializedArray<int>(total);
        var statuses = new SpanStatus[total];
        var raised = new bool[total];
        for (int t = 0; t < threadCount; t++)
        {
            var b = perThread[t];
            int offset = threadSpanStart[t];
            b.CopyTo(offset, starts, ends, parents, statuses, raised);
            if (offset != 0)
            {
                var thread = trace.Threads[t];
                var map = spanOfEvent.AsSpan(thread.Start, thread.Count);
                for (int i = 0; i < map.Length; i++)
                {
                    if (map[i] >= 0)
                        map[i] += offset;
                }
            }
        }
        return new CallSpans(trace, starts, ends, parents, statuses, raised, spanOfEvent, threadSpanStart);
    }
}
