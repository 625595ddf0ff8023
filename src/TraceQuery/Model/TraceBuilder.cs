using System.Runtime.InteropServices;
using TraceQuery.Model.Internals;

namespace TraceQuery.Model;

/// <summary>
/// Builds a <see cref="ExecutionTrace"/> from events produced in memory (generators, recorders, non-ATF formats).
/// Add events per thread in the order they happened, then call <see cref="Build"/> once.
/// </summary>
/// <remarks>
/// Two ways to feed a thread, not mixed on one thread: raw events (<see cref="Add(in TraceEvent)"/>), paired
/// later by function and depth like ATF; or spans (<see cref="AddSpan"/>), which keep their own identity, so
/// overlapping siblings and async work pair exactly. Messages (exception text, log bodies) live in a side
/// table keyed by event, not in the 32-byte event (<see cref="ExecutionTrace.TryGetMessage"/>). Stack samples (sampled
/// CPU profiles) are added beside events: frames and stacks first (<see cref="AddSampleFrame"/>, <see cref="AddSampleStack(int, int)"/>),
/// then samples (<see cref="AddSample"/>); they end in <see cref="ExecutionTrace.Samples"/>.
/// </remarks>
public sealed partial class TraceBuilder
{
    private readonly SortedDictionary<uint, ThreadLane> _threads = [];
    private readonly List<ModuleInfo> _modules = [];
    private readonly List<SymbolInfo> _symbols = [];
    // Spans as added, 48 bytes each in fixed segments (never copied as they grow); their messages and error texts in
    // sparse lists sorted by span index, since most spans have neither.
    private readonly ChunkedAppendList<StoredSpan> _spans = new();
    private readonly List<(int Span, string Text)> _spanMessages = [];
    private readonly List<(int Span, string Text)> _spanErrors = [];
    private bool _anyMarks;
    private readonly List<SpanException> _exceptions = [];
    // Span attributes column-wise (issue 17's read speed): the index of each span that has attributes, in the order
    // spans were added, and its bounded set (consecutive equal sets share one instance); no per-span dictionary entry.
    private readonly List<int> _attributeSpans = [];
    private readonly List<EventAttributes> _attributeSets = [];
    private readonly List<(ulong SpanId, SpanEvent Event)> _spanEvents = [];
    private readonly List<(ulong From, ulong To, string Kind)> _links = [];
    private long _clippedValues;
    private long _droppedAttributes;
    private KeyValuePair<string, string>[] _lastSource = [];
    private EventAttributes? _lastBounded;
    private long _lastClipped, _lastDropped;
    private uint _lastLaneId;
    private ThreadLane? _lastLane;
    private bool _built;

    /// <summary>The default of <see cref="MaxAttributesPerSpan"/>.</summary>
    public const int DefaultMaxAttributesPerSpan = 64;

    /// <summary>The default of <see cref="MaxAttributeValueLength"/>.</summary>
    public const int DefaultMaxAttributeValueLength = 1024;

    private sealed class ThreadLane
    {
        public EventBuffer Events { get; } = new();
        public List<DetailRecord> Details { get; } = [];
        public Dictionary<int, string>? Messages { get; set; }
        /// <summary>Spans added to the thread (repeated ids included): a thread fed spans when not 0.</summary>
        public int SpanCount { get; set; }
        public string? Name { get; set; }
        public ThreadInfo? Info { get; set; }
        public long MissingParents { get; set; }
    }

    /// <summary>
    /// At most this many attributes are kept per span or span event (default <see cref="DefaultMaxAttributesPerSpan"/>); the
    /// rest are counted (<see cref="EventAttributes.DroppedCount"/>, <see cref="TraceMetadata.DroppedAttributes"/>).
    /// </summary>
    public int MaxAttributesPerSpan { get; init; } = DefaultMaxAttributesPerSpan;

    /// <summary>
    /// Attribute keys and values longer than this many characters are clipped to it, with their full length said
    /// (default <see cref="DefaultMaxAttributeValueLength"/>; counted in <see cref="TraceMetadata.ClippedAttributeValues"/>).
    /// </summary>
    public int MaxAttributeValueLength { get; init; } = DefaultMaxAttributeValueLength;

    /// <summary>Metadata the built trace carries (format name, os, arch, clock).</summary>
    public TraceMetadata Metadata { get; set; } = new() { SourceFormat = "memory" };

    /// <summary>Adds a module to the symbol table.</summary>
    public TraceBuilder AddModule(ModuleInfo module)
    {
        ArgumentNullException.ThrowIfNull(module);
        _modules.Add(module);
        return this;
    }

    /// <summary>Adds a function name to the symbol table.</summary>
    public TraceBuilder AddSymbol(SymbolInfo symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        _symbols.Add(symbol);
        return this;
    }

    /// <summary>Declares a thread (so that a thread with no events still appears) and optionally names it.</summary>
    public TraceBuilder AddThread(uint threadId, string? name = null)
    {
        var lane = Lane(threadId);
        lane.Name = name ?? lane.Name;
        return this;
    }

    /// <summary>
    /// Declares a thread with the producer's identity (process and thread ids as written, names) and its lane kind
    /// (<see cref="SpanTrack"/>). Declaring it again replaces what was declared; events and spans are kept.
    /// </summary>
    public TraceBuilder AddThread(ThreadInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var lane = Lane(info.ThreadId);
        lane.Info = info;
        lane.Name = info.Name ?? lane.Name;
        return this;
    }

    /// <summary>
    /// Records a span event (something that happened inside span <paramref name="spanId"/> that is not a call or an
    /// exception: an OTLP span event, a Chrome instant). May be called before or after the span is added; events of a span
    /// never added are counted in the trace's warnings. Attributes are bounded like span attributes.
    /// </summary>
    public TraceBuilder AddSpanEvent(ulong spanId, ulong timestampNs, string name, IReadOnlyList<KeyValuePair<string, string>>? attributes)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timestampNs, (ulong)long.MaxValue);
        var bounded = attributes is null || attributes.Count == 0 ? EventAttributes.Empty : Bound(attributes);
        _spanEvents.Add((spanId, new SpanEvent((long)timestampNs, name, bounded)));
        return this;
    }

    /// <summary>
    /// Records a link from span <paramref name="fromSpanId"/> to span <paramref name="toSpanId"/> (a Chrome flow, an OTLP
    /// span link); <paramref name="kind"/> says what the producer called it. Either span may be added before or after; a
    /// link whose span is never added is counted (<see cref="TraceMetadata.UnresolvedLinks"/>) and said in the warnings.
    /// </summary>
    public TraceBuilder AddLink(ulong fromSpanId, ulong toSpanId, string kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        _links.Add((fromSpanId, toSpanId, kind));
        return this;
    }

    /// <summary>Appends an event to the thread its <see cref="TraceEvent.ThreadId"/> names.</summary>
    public TraceBuilder Add(in TraceEvent traceEvent)
    {
        Lane(traceEvent.ThreadId).Events.Add(traceEvent);
        return this;
    }

    /// <summary>Appends an event that carries a message (an exception's type and text, a log body).</summary>
    public TraceBuilder Add(in TraceEvent traceEvent, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var lane = Lane(traceEvent.ThreadId);
        (lane.Messages ??= [])[lane.Events.Count] = message;
        lane.Events.Add(traceEvent);
        return this;
    }

    /// <summary>
    /// Adds a span (see <see cref="SpanRecord"/>); spans may come in any order (parents after children,
    /// threads interleaved) and are sorted by time at <see cref="Build"/>. A span id seen twice keeps the
    /// first span; the others are dropped and counted in the trace's warnings. O(1) amortized.
    /// </summary>
    public TraceBuilder AddSpan(in SpanRecord span)
    {
        if (span.SpanId == 0)
            throw new ArgumentException("A span id must not be 0 (0 means \"no parent\").", nameof(span));
        if (_spans.Count == Array.MaxLength)
            throw new InvalidOperationException($"At most {Array.MaxLength:N0} spans can be added to one builder.");
        var lane = span.ThreadId == _lastLaneId && _lastLane is not null ? _lastLane : Lane(span.ThreadId);
        (_lastLaneId, _lastLane) = (span.ThreadId, lane);
        lane.SpanCount++;
        int index = _spans.Count;
        if (span.Attributes is { Count: > 0 } attributes)
        {
            _attributeSpans.Add(index);
            _attributeSets.Add(BoundShared(attributes));
        }
        if (span.Message is { } message)
            _spanMessages.Add((index, message));
        if (span.Error is { } error)
            _spanErrors.Add((index, error));
        _anyMarks |= span.Marks != SpanMarks.None;
        _spans.Add(StoredSpan.From(span));
        return this;
    }

    /// <summary>
    /// Records an exception raised in span <paramref name="spanId"/> at <paramref name="timestampNs"/> (moved
    /// into the span's time range when outside it): an EXCEPTION event with <paramref name="message"/>. May be
    /// called before or after the span is added; exceptions of a span never added are ignored.
    /// </summary>
    public TraceBuilder AddSpanException(ulong spanId, ulong timestampNs, string? message)
    {
        _exceptions.Add(new SpanException { SpanId = spanId, TimestampNs = timestampNs, Message = message, Next = -1 });
        return this;
    }

    /// <summary>
    /// Appends an event with a detail record; the event's <see cref="TraceEvent.DetailSeq"/> is set to the
    /// record's position in the thread's detail lane.
    /// </summary>
    public TraceBuilder Add(in TraceEvent traceEvent, ReadOnlyMemory<byte> detailPayload, ushort recordType)
    {
        var lane = Lane(traceEvent.ThreadId);
        uint detailSeq = (uint)lane.Details.Count;
        lane.Details.Add(new DetailRecord(recordType, 0, (uint)lane.Events.Count, traceEvent.ThreadId, traceEvent.TimestampNs, detailPayload));
        lane.Events.Add(traceEvent with { DetailSeq = detailSeq });
        return this;
    }

    /// <summary>Events added so far to one thread.</summary>
    public int CountEvents(uint threadId) => _threads.TryGetValue(threadId, out var lane) ? lane.Events.Count : 0;

    /// <summary>
    /// Builds the trace. Events with an invalid kind, or whose detail link points past the thread's
    /// detail records, are rejected with an <see cref="ArgumentException"/>.
    /// </summary>
    public ExecutionTrace Build()
    {
        if (_built)
            throw new InvalidOperationException("Build() was already called on this builder.");
        _built = true;
        var warnings = new List<string>();
        var scratch = PrepareSpans(warnings);
        var (grouped, laneStarts) = GroupByLane(scratch);
        var inputs = new List<ThreadInput>(_threads.Count);
        var details = new List<IReadOnlyList<DetailRecord>>(_threads.Count);
        var planned = new PlannedEvents?[_threads.Count];
        var messages = new Dictionary<EventRef, string>();
        var planner = new SpanEventPlanner();
        bool anyDetail = false;
        foreach (var (id, lane) in _threads)
        {
            int t = inputs.Count;
            ThreadEventRows rows;
            if (lane.SpanCount > 0)
            {
                if (lane.Events.Count > 0)
                    throw new ArgumentException($"Thread {id} has both raw events and spans; feed a thread one way only.");
                planned[t] = planner.Plan(id, grouped.AsSpan(laneStarts[t], laneStarts[t + 1] - laneStarts[t]), scratch, _spanMessages, messages);
                rows = new ThreadEventRows(planned[t]!);
            }
            else
            {
                rows = lane.Events.Rows;
            }
            if (lane.Messages is { } laneMessages)
            {
                foreach (var (position, text) in laneMessages)
                    messages[new EventRef(id, (uint)position)] = text;
            }
            inputs.Add(new ThreadInput
            {
                ThreadId = id,
                Events = rows,
                DetailRecordCount = (uint)lane.Details.Count,
                DetailComplete = true,
                Name = lane.Name,
                Info = lane.Info,
                Recovery = lane.MissingParents > 0 ? ThreadRecovery.Clean with { SpansWithMissingParent = lane.MissingParents } : ThreadRecovery.Clean,
            });
            details.Add(lane.Details);
            anyDetail |= lane.Details.Count > 0;
        }
        grouped = [];
        var columns = TraceColumnBuilder.Build(inputs, out var error);
        if (error is { } e)
        {
            throw new ArgumentException(
                $"Thread {inputs[e.ThreadIndex].ThreadId}, event {e.Position}: {e.Defect} ({e.Event}).");
        }
        inputs.Clear();
        var links = LinkPlannedEvents(scratch, planned, columns);
        planned = [];
        var side = BuildSideTables(scratch, columns.Count, warnings, out long unresolvedLinks);
        var samples = _samples.Build();
        var metadata = Metadata;
        if (samples.Count > 0 && metadata.CpuSamples == 0)
            metadata = metadata with { CpuSamples = samples.Count };
        if (warnings.Count > 0 || unresolvedLinks > 0 || _clippedValues > 0 || _droppedAttributes > 0)
        {
            metadata = metadata with
            {
                Warnings = [.. metadata.Warnings, .. warnings],
                UnresolvedLinks = metadata.UnresolvedLinks + unresolvedLinks,
                ClippedAttributeValues = metadata.ClippedAttributeValues + _clippedValues,
                DroppedAttributes = metadata.DroppedAttributes + _droppedAttributes,
            };
        }
        return new ExecutionTrace(columns, new SymbolTable(_modules, _symbols), metadata, anyDetail ? new InMemoryDetailStore(details) : null,
            links, messages, side, samples);
    }

    /// <summary>
    /// <see cref="Bound"/>, but one instance for consecutive spans whose attributes are the same (same keys and values
    /// in the same order, compared by content, so a caller may reuse its list): readers see runs of spans carrying the
    /// same few attributes, and one immutable <see cref="EventAttributes"/> for the run keeps the heap small. The
    /// clipped and dropped counts still count every span.
    /// </summary>
    private EventAttributes BoundShared(IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        if (_lastBounded is not null && EventAttributes.SameItems(attributes, _lastSource))
        {
            _clippedValues += _lastClipped;
            _droppedAttributes += _lastDropped;
            return _lastBounded;
        }
        long clipped = _clippedValues, dropped = _droppedAttributes;
        var bounded = Bound(attributes);
        _lastSource = [.. attributes];
        (_lastBounded, _lastClipped, _lastDropped) = (bounded, _clippedValues - clipped, _droppedAttributes - dropped);
        return bounded;
    }

    private EventAttributes Bound(IReadOnlyList<KeyValuePair<string, string>> attributes) =>
        EventAttributes.Bound(attributes, Math.Max(0, MaxAttributesPerSpan), Math.Max(1, MaxAttributeValueLength), ref _clippedValues, ref _droppedAttributes);

    /// <summary>
    /// Groups the kept spans by lane (the builder's threads in id order), each lane's in the order they were added:
    /// one index array (a counting sort on the lane index that <see cref="PrepareSpans"/> left in the CALL positions)
    /// and where each lane starts in it.
    /// </summary>
    private (int[] Grouped, int[] LaneStarts) GroupByLane(SpanScratch scratch)
    {
        var laneStarts = new int[_threads.Count + 1];
        var depths = scratch.Depths;
        var lanes = scratch.CallPositions;
        int kept = 0;
        for (int s = 0; s < depths.Length; s++)
        {
            if (depths[s] != SpanScratch.Dropped)
            {
                laneStarts[lanes[s] + 1]++;
                kept++;
            }
        }
        for (int t = 0; t < _threads.Count; t++)
            laneStarts[t + 1] += laneStarts[t];
        var grouped = GC.AllocateUninitializedArray<int>(kept);
        var next = laneStarts[..^1];
        for (int s = 0; s < depths.Length; s++)
        {
            if (depths[s] != SpanScratch.Dropped)
                grouped[next[lanes[s]]++] = s;
        }
        return (grouped, laneStarts);
    }

    /// <summary>
    /// The explicit pairing of the span-fed threads, per global event (see <see cref="ExplicitSpanLinks"/>), or null when
    /// no thread was fed spans; then turns each kept span's CALL position into its global event index.
    /// </summary>
    private static ExplicitSpanLinks? LinkPlannedEvents(SpanScratch scratch, PlannedEvents?[] planned, BuiltColumns columns)
    {
        if (Array.TrueForAll(planned, p => p is null))
            return null;
        var links = new int[columns.Count];
        var explicitThreads = new bool[planned.Length];
        var spans = scratch.Spans;
        var parents = scratch.Parents;
        var callPositions = scratch.CallPositions;
        for (int t = 0; t < planned.Length; t++)
        {
            if (planned[t] is not { } lane)
                continue;
            explicitThreads[t] = true;
            // Planned events are sorted and carry no details, so the column pass kept them all in place.
            var thread = columns.Threads[t];
            if (thread.Count != lane.Length)
                throw new InvalidOperationException($"Thread {lane.ThreadId}: the column pass kept {thread.Count} of {lane.Length} planned events.");
            int start = thread.Start;
            var events = lane.Events;
            for (int i = 0; i < events.Length; i++)
            {
                (int s, int code) = PlannedEvents.Decode(events[i]);
                int link;
                if (code == PlannedEvents.CallCode)
                {
                    // Only a parent on this thread whose CALL came first is linked (spans are numbered by their CALL).
                    int parent = parents[s];
                    link = parent >= 0 && spans[parent].ThreadId == lane.ThreadId && callPositions[parent] < i ? callPositions[parent] : -1;
                }
                else
                {
                    link = callPositions[s];
                }
                links[start + i] = link < 0 ? -1 : start + link;
            }
        }
        for (int t = 0; t < planned.Length; t++)
        {
            if (planned[t] is not { } lane)
                continue;
            int start = columns.Threads[t].Start;
            var events = lane.Events;
            for (int i = 0; i < events.Length; i++)
            {
                (int s, int code) = PlannedEvents.Decode(events[i]);
                if (code == PlannedEvents.CallCode)
                    callPositions[s] = start + i;
            }
        }
        return new ExplicitSpanLinks(links, explicitThreads);
    }

    /// <summary>
    /// Keys attributes, span events and marks by each span's CALL event index and resolves links; what names a span
    /// that is not in the trace is counted and said in <paramref name="warnings"/>.
    /// </summary>
    private SpanSideTables? BuildSideTables(SpanScratch scratch, int eventCount, List<string> warnings, out long unresolvedLinks)
    {
        unresolvedLinks = 0;
        // Most traces (ATF, generated, plain Chrome) carry none of it: no lookup tables are built for them.
        if (!_anyMarks && _spanErrors.Count == 0 && _attributeSpans.Count == 0 && _links.Count == 0 && _spanEvents.Count == 0)
            return null;
        var spans = scratch.Spans;
        var depths = scratch.Depths;
        // Global CALL index per kept span (every kept span was planned on its lane).
        var callIndex = scratch.CallPositions;
        // Span id to kept span, when links or span events name spans (kept from PrepareSpans: repeated ids map to the first).
        var byId = scratch.ById ?? SpanIdIndex.Empty;

        var attributes = new List<(int, EventAttributes)>(_attributeSpans.Count);
        for (int a = 0; a < _attributeSpans.Count; a++)
        {
            int s = _attributeSpans[a];
            if (depths[s] != SpanScratch.Dropped)
                attributes.Add((callIndex[s], _attributeSets[a]));
        }
        var errors = new List<(int, string)>(_spanErrors.Count);
        foreach (var (s, text) in _spanErrors)
        {
            if (depths[s] != SpanScratch.Dropped)
                errors.Add((callIndex[s], text));
        }
        SpanMarks[]? marks = null;
        if (_anyMarks)
        {
            for (int s = 0; s < spans.Count; s++)
            {
                if (depths[s] != SpanScratch.Dropped && spans[s].Marks != SpanMarks.None)
                    (marks ??= new SpanMarks[eventCount])[callIndex[s]] = spans[s].Marks;
            }
        }

        var spanEvents = new List<(int, SpanEvent[])>();
        long orphanEvents = 0;
        if (_spanEvents.Count > 0)
        {
            var grouped = new Dictionary<int, List<SpanEvent>>();
            foreach (var (spanId, spanEvent) in _spanEvents)
            {
                if (!byId.TryGetValue(spanId, out int s))
                {
                    orphanEvents++;
                    continue;
                }
                if (!grouped.TryGetValue(callIndex[s], out var list))
                    grouped[callIndex[s]] = list = [];
                list.Add(spanEvent);
            }
            foreach (var (call, list) in grouped)
            {
                var sorted = list.ToArray();
                // Stable by time: events at one moment keep the order they were added.
                var order = Enumerable.Range(0, sorted.Length).OrderBy(i => sorted[i].TimestampNs).ThenBy(i => i).Select(i => sorted[i]).ToArray();
                spanEvents.Add((call, order));
            }
        }
        if (orphanEvents > 0)
        {
            warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{orphanEvents} span event(s) named a span that is not in the trace and were not kept."));
        }

        var links = new List<SpanLink>(_links.Count);
        var unresolvedKinds = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (from, to, kind) in _links)
        {
            if (byId.TryGetValue(from, out int f) && byId.TryGetValue(to, out int t))
            {
                links.Add(new SpanLink(callIndex[f], callIndex[t], kind));
                continue;
            }
            unresolvedLinks++;
            unresolvedKinds[kind] = unresolvedKinds.GetValueOrDefault(kind) + 1;
        }
        if (unresolvedLinks > 0)
        {
            warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{unresolvedLinks} link(s) name a span that is not in the trace and were not kept: ")
                + string.Join(", ", unresolvedKinds.Select(k => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{k.Key}' ×{k.Value}"))) + ".");
        }
        if (_clippedValues > 0)
        {
            warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{_clippedValues} attribute key(s) or value(s) were longer than {MaxAttributeValueLength} characters and were clipped (the clipped text says the full length)."));
        }
        if (_droppedAttributes > 0)
        {
            warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{_droppedAttributes} attribute(s) beyond {MaxAttributesPerSpan} per span were not kept."));
        }
        return new SpanSideTables
        {
            Attributes = EventSideTable<EventAttributes>.Create(attributes),
            SpanEvents = EventSideTable<SpanEvent[]>.Create(spanEvents),
            Links = [.. links],
            Marks = marks,
            ErrorStatuses = EventSideTable<string>.Create(errors),
        };
    }

    /// <summary>
    /// Drops repeated span ids, resolves parents and exceptions, and computes depths from the parent chains, into
    /// arrays sized to the spans; leaves each span's lane index in <see cref="SpanScratch.CallPositions"/> for
    /// <see cref="GroupByLane"/>.
    /// </summary>
    private SpanScratch PrepareSpans(List<string> warnings)
    {
        var scratch = new SpanScratch(_spans, _exceptions);
        int count = _spans.Count;
        if (count == 0)
            return scratch;
        var parents = scratch.Parents;
        var depths = scratch.Depths;
        var lanes = scratch.CallPositions;
        var laneIndex = new Dictionary<uint, int>(_threads.Count);
        var laneList = new ThreadLane[_threads.Count];
        foreach (var (id, lane) in _threads)
        {
            laneList[laneIndex.Count] = lane;
            laneIndex[id] = laneIndex.Count;
        }
        var byId = SpanIdIndex.For(_spans);
        int duplicates = 0;
        uint lastThread = 0;
        int lastLane = -1;
        for (int s = 0; s < count; s++)
        {
            ref readonly var span = ref _spans[s];
            if (lastLane < 0 || span.ThreadId != lastThread)
                (lastThread, lastLane) = (span.ThreadId, laneIndex[span.ThreadId]);
            lanes[s] = lastLane;
            if (!byId.TryAdd(span.SpanId, s))
            {
                duplicates++;
                depths[s] = SpanScratch.Dropped;
            }
        }
        if (duplicates > 0)
        {
            warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{duplicates} span(s) repeated an earlier span id and were dropped (the first one was kept)."));
        }
        if (_exceptions.Count > 0)
        {
            var first = scratch.FirstException = GC.AllocateUninitializedArray<int>(count);
            Array.Fill(first, -1);
            var exceptions = CollectionsMarshal.AsSpan(_exceptions);
            for (int x = exceptions.Length - 1; x >= 0; x--)
            {
                if (!byId.TryGetValue(exceptions[x].SpanId, out int s))
                    continue;
                exceptions[x].Next = first[s];
                first[s] = x;
            }
        }
        for (int s = 0; s < count; s++)
        {
            ref readonly var span = ref _spans[s];
            ulong parentId = span.ParentSpanId;
            parents[s] = -1;
            if (parentId != 0 && parentId != span.SpanId && byId.TryGetValue(parentId, out int p))
                parents[s] = p;
            else if (span.ParentMissing || (parentId != 0 && parentId != span.SpanId))
                laneList[lanes[s]].MissingParents++;
        }
        if (_links.Count > 0 || _spanEvents.Count > 0)
            scratch.ById = byId;
        byId = null;

        // Depth = length of the parent chain; a cycle (bad input) is cut where it closes. Spans on the walk are marked
        // with OnPath until their depth is known.
        const uint OnPath = SpanScratch.Dropped - 1;
        var path = new List<int>();
        for (int s = 0; s < count; s++)
        {
            if (depths[s] != 0)
                continue;
            int at;
            while (true)
            {
                path.Clear();
                at = s;
                while (at >= 0 && depths[at] == 0)
                {
                    depths[at] = OnPath;
                    path.Add(at);
                    at = parents[at];
                }
                if (at < 0 || depths[at] != OnPath)
                    break;
                parents[at] = -1; // a cycle (bad input): its entry point becomes a root, then walk again
                foreach (int p in path)
                    depths[p] = 0;
            }
            uint depth = at >= 0 ? depths[at] : 0;
            for (int i = path.Count - 1; i >= 0; i--)
                depths[path[i]] = ++depth;
        }
        return scratch;
    }

    private ThreadLane Lane(uint threadId)
    {
        if (threadId == _lastLaneId && _lastLane is not null)
            return _lastLane;
        if (!_threads.TryGetValue(threadId, out var lane))
            _threads[threadId] = lane = new ThreadLane();
        (_lastLaneId, _lastLane) = (threadId, lane);
        return lane;
    }
}
