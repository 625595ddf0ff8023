using TraceQuery.Model.Internals;

namespace TraceQuery.Model;

/// <summary>
/// A loaded trace: every thread's events in columnar form (one array per field, threads one after the
/// other, each thread sorted by time), the symbol table, metadata and access to detail records.
/// Immutable once built and safe to query from many threads; dispose it to release mapped detail files.
/// </summary>
/// <remarks>
/// Events of one thread occupy <c>[thread.Start, thread.End)</c> in every column, so a thread filter is a
/// range and an event's global index is stable for the life of the trace. Managed memory held per event:
/// 8 (timestamp) + 4 (function ordinal) + 1 (kind) + 4 (depth) + 4 (detail link) = 21 bytes, plus 1 (span marks) when a
/// span-based source marked any span. Attributes, span events and links are sparse side tables.
/// </remarks>
public sealed partial class ExecutionTrace : IDisposable
{
    private readonly int[]?[] _sequenceMaps;
    private readonly Dictionary<uint, int> _threadIndexById;

    /// <summary>Each thread's first event index, then the event count: threads lie one after the other.</summary>
    private readonly int[] _threadBoundaries;
    private int[]? _mergedOrder;

    private readonly Dictionary<EventRef, string> _messages;

    internal ExecutionTrace(BuiltColumns columns, SymbolTable symbols, TraceMetadata metadata, DetailStore? details,
        ExplicitSpanLinks? spanLinks = null, Dictionary<EventRef, string>? messages = null, SpanSideTables? side = null,
        SampleTable? samples = null)
    {
        Samples = samples ?? SampleTable.Empty;
        SpanLinks = spanLinks;
        _side = side ?? SpanSideTables.Empty;
        _messages = messages ?? [];
        _timestamps = columns.Timestamps;
        _functionOrdinals = columns.FunctionOrdinals;
        _kinds = columns.Kinds;
        _depths = columns.Depths;
        _detailSeqs = columns.DetailSeqs;
        EventCount = columns.Count;
        _functionIds = columns.FunctionIds;
        Threads = columns.Threads;
        _sequenceMaps = columns.SequenceMaps;
        Symbols = symbols;
        Metadata = metadata;
        Details = details;
        _threadIndexById = new Dictionary<uint, int>(Threads.Count);
        _threadBoundaries = new int[Threads.Count + 1];
        foreach (var thread in Threads)
        {
            _threadIndexById.TryAdd(thread.Id, thread.Index);
            _threadBoundaries[thread.Index] = thread.Start;
        }
        _threadBoundaries[^1] = EventCount;
        if (EventCount > 0)
        {
            long start = long.MaxValue, end = long.MinValue;
            foreach (var thread in Threads)
            {
                if (thread.Count == 0)
                    continue;
                start = Math.Min(start, thread.TimeStartNs);
                end = Math.Max(end, thread.TimeEndNs);
            }
            TimeStartNs = start;
            TimeEndNs = end;
        }
        if (Samples.Count > 0)
        {
            TimeStartNs = EventCount > 0 ? Math.Min(TimeStartNs, Samples.TimeStartNs) : Samples.TimeStartNs;
            TimeEndNs = EventCount > 0 ? Math.Max(TimeEndNs, Samples.TimeEndNs) : Samples.TimeEndNs;
        }
    }

    /// <summary>Number of events loaded (after recovery and de-duplication).</summary>
    public int EventCount { get; }

    /// <summary>Threads ordered by id.</summary>
    public IReadOnlyList<TraceThread> Threads { get; }

    /// <summary>Function names and modules.</summary>
    public SymbolTable Symbols { get; }

    /// <summary>Facts about the source (format, os, arch, warnings).</summary>
    public TraceMetadata Metadata { get; }

    /// <summary>Detail records, when the source has any.</summary>
    public DetailStore? Details { get; }

    /// <summary>
    /// Messages of events (exception types and texts, log bodies), keyed by event reference: a side table, so
    /// the 32-byte events stay fixed-size. Empty for ATF. Enumerate in a sorted order for stable output.
    /// </summary>
    public IReadOnlyDictionary<EventRef, string> Messages => _messages;

    /// <summary>The pairing stated by a span-based source, or null when every thread pairs by depth.</summary>
    internal ExplicitSpanLinks? SpanLinks { get; }

    /// <summary>Earliest event or sample timestamp in nanoseconds (0 for an empty trace).</summary>
    public long TimeStartNs { get; }

    /// <summary>Latest event or sample timestamp in nanoseconds (0 for an empty trace).</summary>
    public long TimeEndNs { get; }

    /// <summary>True when any thread needed recovery (missing footer, cut files, dropped links, reordering).</summary>
    public bool WasRecovered
    {
        get
        {
            foreach (var thread in Threads)
                if (!thread.Recovery.IsClean)
                    return true;
            return !Metadata.ManifestPresent;
        }
    }

    /// <summary>Finds a thread by id.</summary>
    public bool TryGetThread(uint threadId, out TraceThread thread)
    {
        if (_threadIndexById.TryGetValue(threadId, out int index))
        {
            thread = Threads[index];
            return true;
        }
        thread = null!;
        return false;
    }

    /// <summary>The thread that holds the event at <paramref name="eventIndex"/>. O(log threads).</summary>
    public TraceThread GetThreadOfEvent(int eventIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(eventIndex, EventCount);
        return Threads[RangeSearch.Find(_threadBoundaries, eventIndex)];
    }

    /// <summary>The event at <paramref name="eventIndex"/>, rebuilt in its on-disk form.</summary>
    public TraceEvent GetEvent(int eventIndex)
    {
        var thread = GetThreadOfEvent(eventIndex);
        return new TraceEvent(
            (ulong)_timestamps[eventIndex],
            _functionIds[_functionOrdinals[eventIndex]],
            thread.Id,
            (EventKind)_kinds[eventIndex],
            _depths[eventIndex],
            _detailSeqs[eventIndex]);
    }

    /// <summary>A stable reference to the event at <paramref name="eventIndex"/> (thread id and original sequence number).</summary>
    public EventRef GetEventRef(int eventIndex)
    {
        var thread = GetThreadOfEvent(eventIndex);
        int position = eventIndex - thread.Start;
        var map = _sequenceMaps[thread.Index];
        return new EventRef(thread.Id, (uint)(map is null ? position : map[position]));
    }

    /// <summary>Resolves an <see cref="EventRef"/> to an event index; false when the trace has no such event.</summary>
    public bool TryGetEventIndex(EventRef reference, out int eventIndex)
    {
        eventIndex = -1;
        if (!TryGetThread(reference.ThreadId, out var thread))
            return false;
        var map = _sequenceMaps[thread.Index];
        if (map is null)
        {
            if (reference.Seq >= (uint)thread.Count)
                return false;
            eventIndex = thread.Start + (int)reference.Seq;
            return true;
        }
        int position = Array.IndexOf(map, (int)reference.Seq);
        if (position < 0)
            return false;
        eventIndex = thread.Start + position;
        return true;
    }

    /// <summary>The message of the event at <paramref name="eventIndex"/> (exception text, log body); false when it has none. O(log threads).</summary>
    public bool TryGetMessage(int eventIndex, out string message)
    {
        if (_messages.Count == 0)
        {
            message = "";
            return false;
        }
        if (_messages.TryGetValue(GetEventRef(eventIndex), out var found))
        {
            message = found;
            return true;
        }
        message = "";
        return false;
    }

    /// <summary>Reads the detail record linked from the event at <paramref name="eventIndex"/>; false when it has none.</summary>
    public bool TryGetDetail(int eventIndex, out DetailRecord record)
    {
        record = null!;
        uint seq = _detailSeqs[eventIndex];
        if (seq == TraceEvent.NoDetail || Details is null)
            return false;
        return Details.TryGetRecord(GetThreadOfEvent(eventIndex).Index, seq, out record);
    }

    /// <summary>
    /// Event indices of all threads merged by time (ties: thread order, then position), computed once on
    /// first use and cached (4 bytes per event). O(n log threads).
    /// </summary>
    public ReadOnlySpan<int> GetMergedOrder() => Volatile.Read(ref _mergedOrder) ?? BuiltOnce.Publish(ref _mergedOrder, MergeThreads());

    private int[] MergeThreads()
    {
        var merged = GC.AllocateUninitializedArray<int>(EventCount);
        var cursors = new int[Threads.Count];
        var queue = new PriorityQueue<int, (long Time, int Thread)>(Threads.Count);
        foreach (var thread in Threads)
        {
            cursors[thread.Index] = thread.Start;
            if (thread.Count > 0)
                queue.Enqueue(thread.Index, (_timestamps[thread.Start], thread.Index));
        }
        int written = 0;
        while (queue.TryDequeue(out int t, out _))
        {
            var thread = Threads[t];
            bool hasOther = queue.TryPeek(out int other, out var otherKey);
            // Drain this thread while it stays earliest, to avoid a queue round-trip per event.
            do
            {
                merged[written++] = cursors[t]++;
            }
            while (cursors[t] < thread.End
                && (!hasOther || _timestamps[cursors[t]] < otherKey.Time || (_timestamps[cursors[t]] == otherKey.Time && t < other)));
            if (cursors[t] < thread.End)
                queue.Enqueue(t, (_timestamps[cursors[t]], t));
        }
        return merged;
    }

    /// <summary>Releases mapped detail files.</summary>
    public void Dispose() => Details?.Dispose();
}
