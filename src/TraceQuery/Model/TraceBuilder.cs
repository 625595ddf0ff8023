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
    private readonly List<PlannedSpan> _spans = [];
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
    private bool _built;

    /// <summary>The default of <see cref="MaxAttributesPerSpan"/>.</summary>
    public const int DefaultMaxAttributesPerSpan = 64;

    /// <summary>The default of <see cref="MaxAttributeValueLength"/>.</summary>
    public const int DefaultMaxAttributeValueLength = 1024;

    private sealed class ThreadLane
    {
        public List<TraceEvent> Events { get; } = [];
        public List<DetailRecord> Details { get; } = [];
        public Dictionary<int, string>? Messages { get; set; }
        public List<int>? Spans { get; set; }
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
        var lane = Lane(span.ThreadId);
        (lane.Spans ??= []).Add(_spans.Count);
        if (span.Attributes is { Count: > 0 } attributes)
        {
            _attributeSpans.Add(_spans.Count);
            _attributeSets.Add(BoundShared(attributes));
        }
        _spans.Add(new PlannedSpan { Record = span with { Attributes = null }, Parent = -1, CallPosition = -1, FirstException = -1 });
        return this;
    }

    /// <summary>
    /// Makes room for <paramref name="count"/> more spans at once, for a reader that knows how many it will add (the OTLP
    /// reader does): the span list then grows once instead of by doubling, copying and discarding its arrays.
    /// </summary>
    internal void EnsureSpanCapacity(int count) => _spans.EnsureCapacity(_spans.Count + count);

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
        var spans = PrepareSpans(warnings);
        var inputs = new List<ThreadInput>(_threads.Count);
        var details = new List<IReadOnlyList<DetailRecord>>(_threads.Count);
        var laneLinks = new int[]?[_threads.Count];
        var messages = new Dictionary<EventRef, string>();
        bool anyDetail = false;
        foreach (var (id, lane) in _threads)
        {
            var events = lane.Events.ToArray();
            if (lane.Spans is { } spanIndices)
            {
                if (events.Length > 0)
                    throw new ArgumentException($"Thread {id} has both raw events and spans; feed a thread one way only.");
                (events, laneLinks[inputs.Count], var spanMessages) = SpanEventPlanner.Plan(id, spanIndices, spans, _exceptions);
                foreach (var (position, text) in spanMessages)
                    messages[new EventRef(id, (uint)position)] = text;
            }
            if (lane.Messages is { } laneMessages)
            {
                foreach (var (position, text) in laneMessages)
                    messages[new EventRef(id, (uint)position)] = text;
            }
            inputs.Add(new ThreadInput
            {
                ThreadId = id,
                Events = new ThreadEventRows(events),
                DetailRecordCount = (uint)lane.Details.Count,
                DetailComplete = true,
                Name = lane.Name,
                Info = lane.Info,
                Recovery = lane.MissingParents > 0 ? ThreadRecovery.Clean with { SpansWithMissingParent = lane.MissingParents } : ThreadRecovery.Clean,
            });
            details.Add(lane.Details);
            anyDetail |= lane.Details.Count > 0;
        }
        var columns = TraceColumnBuilder.Build(inputs, out var error);
        if (error is { } e)
        {
            throw new ArgumentException(
                $"Thread {inputs[e.ThreadIndex].ThreadId}, event {e.Position}: {e.Defect} ({e.Event}).");
        }
        int[]? links = null;
        for (int t = 0; t < laneLinks.Length; t++)
        {
            if (laneLinks[t] is not { } local)
                continue;
            links ??= new int[columns.Count];
            var thread = columns.Threads[t];
            // Planned events are sorted and carry no details, so the column pass kept them in place.
            for (int i = 0; i < local.Length; i++)
                links[thread.Start + i] = local[i] < 0 ? -1 : thread.Start + local[i];
        }
        var side = BuildSideTables(spans, columns, laneLinks, warnings, out long unresolvedLinks);
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
            links is null ? null : new ExplicitSpanLinks(links, Array.ConvertAll(laneLinks, l => l is not null)), messages, side, samples);
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
    /// Keys attributes, span events and marks by each span's CALL event index and resolves links; what names a span
    /// that is not in the trace is counted and said in <paramref name="warnings"/>.
    /// </summary>
    private SpanSideTables? BuildSideTables(PlannedSpan[] spans, BuiltColumns columns, int[]?[] laneLinks, List<string> warnings, out long unresolvedLinks)
    {
        unresolvedLinks = 0;
        bool anyMarks = false, anyErrors = false;
        foreach (ref readonly var span in spans.AsSpan())
        {
            anyMarks |= span.Record.Marks != SpanMarks.None;
            anyErrors |= span.Record.Error is not null;
        }
        // Most traces (ATF, generated, plain Chrome) carry none of it: no lookup tables are built for them.
        if (!anyMarks && !anyErrors && _attributeSpans.Count == 0 && _links.Count == 0 && _spanEvents.Count == 0)
            return null;
        // Global CALL index per span; -1 for a dropped duplicate.
        var callIndex = new int[spans.Length];
        Array.Fill(callIndex, -1);
        bool needIds = _links.Count > 0 || _spanEvents.Count > 0;
        var byId = new Dictionary<ulong, int>(needIds ? spans.Length : 0);
        int laneIndex = 0;
        foreach (var lane in _threads.Values)
        {
            if (lane.Spans is { } spanIndices && laneLinks[laneIndex] is not null)
            {
                int start = columns.Threads[laneIndex].Start;
                foreach (int s in spanIndices)
                {
                    if (spans[s].CallPosition >= 0)
                    {
                        callIndex[s] = start + spans[s].CallPosition;
                        if (needIds)
                            byId.TryAdd(spans[s].Record.SpanId, s);
                    }
                }
            }
            laneIndex++;
        }

        var attributes = new List<(int, EventAttributes)>(_attributeSpans.Count);
        var errors = new List<(int, string)>();
        SpanMarks[]? marks = null;
        int nextAttributes = 0;
        for (int s = 0; s < spans.Length; s++)
        {
            while (nextAttributes < _attributeSpans.Count && _attributeSpans[nextAttributes] < s)
                nextAttributes++;
            if (callIndex[s] < 0)
                continue;
            if (spans[s].Record.Error is { } error)
                errors.Add((callIndex[s], error));
            if (nextAttributes < _attributeSpans.Count && _attributeSpans[nextAttributes] == s)
                attributes.Add((callIndex[s], _attributeSets[nextAttributes]));
            if (spans[s].Record.Marks != SpanMarks.None)
                (marks ??= new SpanMarks[columns.Count])[callIndex[s]] = spans[s].Record.Marks;
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

    /// <summary>Drops repeated span ids, resolves parents and exceptions, and computes depths from the parent chains.</summary>
    private PlannedSpan[] PrepareSpans(List<string> warnings)
    {
        var spans = _spans.ToArray();
        if (spans.Length == 0)
            return spans;
        var byId = new Dictionary<ulong, int>(spans.Length);
        int duplicates = 0;
        for (int s = 0; s < spans.Length; s++)
        {
            if (!byId.TryAdd(spans[s].Record.SpanId, s))
            {
                duplicates++;
                spans[s].Depth = uint.MaxValue; // marks a dropped span
            }
        }
        if (duplicates > 0)
        {
            warnings.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{duplicates} span(s) repeated an earlier span id and were dropped (the first one was kept)."));
            foreach (var lane in _threads.Values)
                lane.Spans?.RemoveAll(s => spans[s].Depth == uint.MaxValue);
        }
        for (int x = _exceptions.Count - 1; x >= 0; x--)
        {
            if (!byId.TryGetValue(_exceptions[x].SpanId, out int s))
                continue;
            var exception = _exceptions[x];
            exception.Next = spans[s].FirstException;
            _exceptions[x] = exception;
            spans[s].FirstException = x;
        }
        for (int s = 0; s < spans.Length; s++)
        {
            ulong parentId = spans[s].Record.ParentSpanId;
            if (parentId != 0 && parentId != spans[s].Record.SpanId && byId.TryGetValue(parentId, out int p))
                spans[s].Parent = p;
            else if (spans[s].Record.ParentMissing || (parentId != 0 && parentId != spans[s].Record.SpanId))
            {
                var lane = Lane(spans[s].Record.ThreadId);
                lane.MissingParents++;
            }
        }

        // Depth = length of the parent chain; a cycle (bad input) is cut where it closes.
        var path = new List<int>();
        var onPath = new HashSet<int>();
        for (int s = 0; s < spans.Length; s++)
        {
            if (spans[s].Depth != 0)
                continue;
            int at;
            while (true)
            {
                path.Clear();
                onPath.Clear();
                at = s;
                while (at >= 0 && spans[at].Depth == 0 && onPath.Add(at))
                {
                    path.Add(at);
                    at = spans[at].Parent;
                }
                if (at < 0 || !onPath.Contains(at))
                    break;
                spans[at].Parent = -1; // a cycle (bad input): its entry point becomes a root, then walk again
            }
            uint depth = at >= 0 ? spans[at].Depth : 0;
            for (int i = path.Count - 1; i >= 0; i--)
                spans[path[i]].Depth = ++depth;
        }
        return spans;
    }

    private ThreadLane Lane(uint threadId)
    {
        if (!_threads.TryGetValue(threadId, out var lane))
            _threads[threadId] = lane = new ThreadLane();
        return lane;
    }
}
