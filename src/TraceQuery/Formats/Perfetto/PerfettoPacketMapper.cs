using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TraceQuery.Formats.Chrome;
using TraceQuery.Model;

namespace TraceQuery.Formats.Perfetto;

/// <summary>
/// Maps decoded Perfetto packets onto the Chrome event collector: each TrackEvent becomes the Chrome trace event it
/// stands for (a small JSON object handed to <see cref="ChromeEventCollector.AddEvent"/>), so slices, async tracks,
/// flows, counters, names and producer marks are built by one code path for both formats.
/// </summary>
internal sealed class PerfettoPacketMapper
{
    private const int ClockBoottime = 6;
    private const string FlowCategory = "perfetto.flow";

    private readonly ChromeEventCollector _collector;
    private readonly Dictionary<uint, Sequence> _sequences = [];
    private readonly Dictionary<ulong, Track> _tracks = [];
    private readonly Dictionary<uint, (ulong Value, ulong Trace)> _globalClocks = [];
    private readonly HashSet<ulong> _flowsSeen = [];
    private readonly Dictionary<(long Pid, long Tid), string> _namedThreads = [];
    private readonly Dictionary<long, string> _namedProcesses = [];
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly List<ulong> _scratch = [];
    private readonly List<ulong> _flowIds = [];
    private readonly List<ulong> _terminatingFlowIds = [];
    private uint _traceClock = ClockBoottime;

    public PerfettoPacketMapper(string path)
    {
        _collector = new ChromeEventCollector(path, "perfetto-protobuf") { ProcessScopedRecords = true };
        _writer = new Utf8JsonWriter(_json, new JsonWriterOptions { SkipValidation = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Packets read.</summary>
    public long Packets { get; private set; }

    public ExecutionTrace Build() => _collector.Build();

    private sealed class Sequence
    {
        public bool HasState;
        public ulong DefaultTrack;
        public bool HasDefaultTrack;
        public uint DefaultClock;
        public (long Pid, long Tid)? LegacyThread;
        public readonly Dictionary<ulong, string> Names = [];
        public readonly Dictionary<ulong, string> Categories = [];
        public readonly Dictionary<ulong, string> AnnotationNames = [];
        public readonly Dictionary<ulong, string> Strings = [];
        public readonly Dictionary<uint, SequenceClock> Clocks = [];

        public void Clear()
        {
            HasState = true;
            HasDefaultTrack = false;
            DefaultClock = 0;
            Names.Clear();
            Categories.Clear();
            AnnotationNames.Clear();
            Strings.Clear();
            Clocks.Clear();
        }
    }

    private sealed class SequenceClock
    {
        public ulong Multiplier = 1;
        public bool Incremental;
        public ulong Current;
        public ulong SnapshotValue;
        public ulong SnapshotTrace;
    }

    private sealed class Track
    {
        public ulong Parent;
        public string? Name;
        public long Pid = -1;
        public long Tid = -1;
        public bool IsThread;
        public bool IsProcess;
        public bool IsCounter;
        public readonly List<(string Name, string Category)> Open = [];
    }

    /// <summary>One packet (the bytes of a TracePacket message).</summary>
    public void AddPacket(ReadOnlySpan<byte> packet, long offset)
    {
        Packets++;
        var wire = new ProtoWire(packet, offset);
        ulong timestamp = 0;
        bool hasTimestamp = false;
        uint clock = 0;
        uint sequenceId = 0;
        uint flags = 0;
        bool cleared = false;
        int trackEventAt = -1, trackEventLength = 0;
        long trackEventOffset = 0;
        int otherField = 0;
        var body = packet;
        // First pass: the packet's header fields; the payload is decoded after, once the sequence state is known.
        var payloads = new List<(int Field, int Start, int Length, long Offset)>(2);
        while (wire.Next())
        {
            switch (wire.Field)
            {
                case 8 when wire.WireType == 0:
                    timestamp = wire.ReadVarint();
                    hasTimestamp = true;
                    break;
                case 58 when wire.WireType == 0:
                    clock = (uint)wire.ReadVarint();
                    break;
                case 10 when wire.WireType == 0:
                    sequenceId = (uint)wire.ReadVarint();
                    break;
                case 13 when wire.WireType == 0:
                    flags = (uint)wire.ReadVarint();
                    break;
                case 41 when wire.WireType == 0:
                    cleared |= wire.ReadVarint() != 0;
                    break;
                case 6 or 11 or 12 or 43 or 44 or 59 or 60 when wire.WireType == 2:
                    {
                        var bytes = wire.ReadBytes(out long at);
                        int start = (int)(at - offset);
                        if (wire.Field == 11)
                        {
                            trackEventAt = start;
                            trackEventLength = bytes.Length;
                            trackEventOffset = at;
                        }
                        else
                        {
                            payloads.Add((wire.Field, start, bytes.Length, at));
                        }
                        break;
                    }
                case 3 or 87 or 42 or 79 or 80 or 58 or 8 or 10 or 13 or 41:
                    wire.Skip();
                    break;
                default:
                    otherField = otherField == 0 ? wire.Field : otherField;
                    wire.Skip();
                    break;
            }
        }

        var sequence = SequenceOf(sequenceId);
        if ((flags & 1) != 0 || cleared)
            sequence.Clear();

        foreach (var (field, start, length, at) in payloads)
        {
            var bytes = body.Slice(start, length);
            switch (field)
            {
                case 12:
                    ReadInternedData(sequence, bytes, at);
                    break;
                case 59:
                    ReadDefaults(sequence, bytes, at);
                    break;
                case 6:
                    ReadClockSnapshot(sequence, bytes, at);
                    break;
                case 60:
                    ReadTrackDescriptor(bytes, at);
                    break;
                case 43:
                    ReadLegacyProcess(bytes, at);
                    break;
                case 44:
                    ReadLegacyThread(sequence, bytes, at);
                    break;
            }
        }

        if (trackEventAt >= 0)
        {
            if ((flags & 2) != 0 && !sequence.HasState)
            {
                _collector.AddSkippedRecord("perfetto track_event on a sequence whose incremental state was lost");
                return;
            }
            ulong? time = hasTimestamp ? ToTraceTime(sequence, clock != 0 ? clock : sequence.DefaultClock, timestamp) : null;
            AddTrackEvent(sequence, body.Slice(trackEventAt, trackEventLength), trackEventOffset, time);
        }
        else if (payloads.Count == 0)
        {
            _collector.AddSkippedRecord(otherField != 0 ? DescribePacket(otherField) : "perfetto packet with no payload");
        }
    }

    private Sequence SequenceOf(uint id)
    {
        if (!_sequences.TryGetValue(id, out var sequence))
            _sequences[id] = sequence = new Sequence();
        return sequence;
    }

    /// <summary>What an unmapped packet holds, by its TracePacket field.</summary>
    internal static string DescribePacket(int field) => field switch
    {
        1 => "perfetto ftrace_events packet",
        2 => "perfetto process_tree packet",
        5 => "perfetto chrome_events packet",
        7 => "perfetto sys_stats packet",
        33 => "perfetto trace_config packet",
        37 or 54 or 66 => string.Create(CultureInfo.InvariantCulture, $"perfetto CPU sampling packet (field {field}, not mapped: samples have their own model)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"perfetto packet field {field}"),
    };

    // ---- time -------------------------------------------------------------------------------------------------

    private ulong? ToTraceTime(Sequence sequence, uint clock, ulong value)
    {
        if (clock == 0)
            clock = _traceClock;
        if (clock >= 64 && sequence.Clocks.TryGetValue(clock, out var seqClock))
        {
            ulong raw = seqClock.Incremental ? (seqClock.Current += value) : value;
            long deltaNs = unchecked((long)(raw - seqClock.SnapshotValue) * (long)seqClock.Multiplier);
            return Offset(seqClock.SnapshotTrace, deltaNs);
        }
        if (clock == _traceClock)
            return value;
        if (_globalClocks.TryGetValue(clock, out var snap))
            return Offset(snap.Trace, unchecked((long)(value - snap.Value)));
        _collector.AddSkippedRecord(string.Create(CultureInfo.InvariantCulture, $"perfetto timestamp on clock {clock}, which no clock_snapshot relates to the trace clock (kept as written)"));
        return value;
    }

    private static ulong Offset(ulong at, long delta) => delta < 0 && (ulong)(-delta) > at ? 0 : (ulong)((long)at + delta);

    private void ReadClockSnapshot(Sequence sequence, ReadOnlySpan<byte> bytes, long offset)
    {
        var wire = new ProtoWire(bytes, offset);
        var clocks = new List<(uint Id, ulong Value, bool Incremental, ulong Multiplier)>();
        while (wire.Next())
        {
            if (wire.Field == 1 && wire.WireType == 2)
            {
                var clock = new ProtoWire(wire.ReadBytes(out long at), at);
                uint id = 0;
                ulong value = 0, multiplier = 1;
                bool incremental = false;
                while (clock.Next())
                {
                    switch (clock.Field)
                    {
                        case 1: id = (uint)clock.ReadInteger(); break;
                        case 2: value = clock.ReadInteger(); break;
                        case 3: incremental = clock.ReadInteger() != 0; break;
                        case 4: multiplier = Math.Max(1, clock.ReadInteger()); break;
                        default: clock.Skip(); break;
                    }
                }
                clocks.Add((id, value, incremental, multiplier));
            }
            else if (wire.Field == 2 && wire.WireType == 0)
            {
                uint primary = (uint)wire.ReadVarint();
                if (primary != 0)
                    _traceClock = primary;
            }
            else
            {
                wire.Skip();
            }
        }
        ulong? trace = null;
        foreach (var c in clocks)
            if (c.Id == _traceClock)
                trace = c.Value;
        if (trace is not { } traceValue)
            return;
        foreach (var c in clocks)
        {
            if (c.Id == _traceClock)
                continue;
            if (c.Id >= 64)
            {
                sequence.Clocks[c.Id] = new SequenceClock
                {
                    Multiplier = c.Multiplier,
                    Incremental = c.Incremental,
                    Current = c.Value,
                    SnapshotValue = c.Value,
                    SnapshotTrace = traceValue,
                };
            }
            else
            {
                _globalClocks[c.Id] = (c.Value * c.Multiplier, traceValue);
            }
        }
    }

    // ---- incremental state ------------------------------------------------------------------------------------

    private static void ReadInternedData(Sequence sequence, ReadOnlySpan<byte> bytes, long offset)
    {
        var wire = new ProtoWire(bytes, offset);
        while (wire.Next())
        {
            var map = wire.Field switch
            {
                1 => sequence.Categories,
                2 => sequence.Names,
                3 => sequence.AnnotationNames,
                29 => sequence.Strings,
                _ => null,
            };
            if (map is null || wire.WireType != 2)
            {
                wire.Skip();
                continue;
            }
            var entry = new ProtoWire(wire.ReadBytes(out long at), at);
            ulong iid = 0;
            string? name = null;
            while (entry.Next())
            {
                if (entry.Field == 1)
                    iid = entry.ReadInteger();
                else if (entry.Field == 2 && entry.WireType == 2)
                    name = Text(entry.ReadBytes());
                else
                    entry.Skip();
            }
            if (name is not null)
                map[iid] = name;
        }
    }

    private static void ReadDefaults(Sequence sequence, ReadOnlySpan<byte> bytes, long offset)
    {
        var wire = new ProtoWire(bytes, offset);
        while (wire.Next())
        {
            if (wire.Field == 58 && wire.WireType == 0)
            {
                sequence.DefaultClock = (uint)wire.ReadVarint();
            }
            else if (wire.Field == 11 && wire.WireType == 2)
            {
                var defaults = new ProtoWire(wire.ReadBytes(out long at), at);
                while (defaults.Next())
                {
                    if (defaults.Field == 11)
                    {
                        sequence.DefaultTrack = defaults.ReadInteger();
                        sequence.HasDefaultTrack = true;
                    }
                    else
                    {
                        defaults.Skip();
                    }
                }
            }
            else
            {
                wire.Skip();
            }
        }
    }

    // ---- tracks -----------------------------------------------------------------------------------------------

    private void ReadTrackDescriptor(ReadOnlySpan<byte> bytes, long offset)
    {
        var wire = new ProtoWire(bytes, offset);
        ulong uuid = 0, parent = 0;
        string? name = null, processName = null, threadName = null;
        long pid = -1, tid = -1;
        bool isThread = false, isProcess = false, isCounter = false;
        while (wire.Next())
        {
            switch (wire.Field)
            {
                case 1: uuid = wire.ReadInteger(); break;
                case 5: parent = wire.ReadInteger(); break;
                case 2 or 10 when wire.WireType == 2: name = Text(wire.ReadBytes()); break;
                case 8 when wire.WireType == 2: isCounter = true; wire.Skip(); break;
                case 3 when wire.WireType == 2:
                    {
                        isProcess = true;
                        var (processPid, process) = ReadProcessDescriptor(wire.ReadBytes(out long at), at);
                        pid = processPid >= 0 ? processPid : pid;
                        processName = process ?? processName;
                        break;
                    }
                case 4 when wire.WireType == 2:
                    {
                        isThread = true;
                        var (threadPid, threadTid, thread) = ReadThreadDescriptor(wire.ReadBytes(out long at), at);
                        pid = threadPid >= 0 ? threadPid : pid;
                        tid = threadTid >= 0 ? threadTid : tid;
                        threadName = thread ?? threadName;
                        break;
                    }
                default: wire.Skip(); break;
            }
        }
        if (!_tracks.TryGetValue(uuid, out var track))
            _tracks[uuid] = track = new Track();
        track.Parent = parent;
        track.Name = name ?? track.Name;
        track.IsThread |= isThread;
        track.IsProcess |= isProcess && !isThread;
        track.IsCounter |= isCounter;
        if (pid >= 0)
            track.Pid = pid;
        if (tid >= 0)
            track.Tid = tid;
        if (isThread && (threadName ?? name) is { } tn)
            NameThread(track.Pid, track.Tid, tn);
        if (isProcess && (processName ?? name) is { } pn)
            NameProcess(track.Pid, pn);
    }

    /// <summary>A <c>ProcessDescriptor</c> (in a track descriptor or a legacy packet): pid (1) and process_name (6); -1 and null where absent.</summary>
    private static (long Pid, string? Name) ReadProcessDescriptor(ReadOnlySpan<byte> bytes, long offset)
    {
        var p = new ProtoWire(bytes, offset);
        long pid = -1;
        string? name = null;
        while (p.Next())
        {
            if (p.Field == 1)
                pid = (int)p.ReadInteger();
            else if (p.Field == 6 && p.WireType == 2)
                name = Text(p.ReadBytes());
            else
                p.Skip();
        }
        return (pid, name);
    }

    /// <summary>A <c>ThreadDescriptor</c> (in a track descriptor or a legacy packet): pid (1), tid (2) and thread_name (5); -1 and null where absent.</summary>
    private static (long Pid, long Tid, string? Name) ReadThreadDescriptor(ReadOnlySpan<byte> bytes, long offset)
    {
        var t = new ProtoWire(bytes, offset);
        long pid = -1, tid = -1;
        string? name = null;
        while (t.Next())
        {
            if (t.Field == 1)
                pid = (int)t.ReadInteger();
            else if (t.Field == 2)
                tid = (int)t.ReadInteger();
            else if (t.Field == 5 && t.WireType == 2)
                name = Text(t.ReadBytes());
            else
                t.Skip();
        }
        return (pid, tid, name);
    }

    private void ReadLegacyProcess(ReadOnlySpan<byte> bytes, long offset)
    {
        var (pid, name) = ReadProcessDescriptor(bytes, offset);
        if (pid >= 0 && name is not null)
            NameProcess(pid, name);
    }

    private void ReadLegacyThread(Sequence sequence, ReadOnlySpan<byte> bytes, long offset)
    {
        var (pid, tid, name) = ReadThreadDescriptor(bytes, offset);
        if (pid < 0 || tid < 0)
            return;
        sequence.LegacyThread = (pid, tid);
        if (name is not null)
            NameThread(pid, tid, name);
    }

    private void NameThread(long pid, long tid, string name)
    {
        // The last description wins (Chrome renames a process once it knows more); only changes are passed on.
        if (pid < 0 || tid < 0 || (_namedThreads.TryGetValue((pid, tid), out var known) && known == name))
            return;
        _namedThreads[(pid, tid)] = name;
        Begin('M', "thread_name", null, pid, tid, null);
        _writer.WriteStartObject("args");
        _writer.WriteString("name", name);
        _writer.WriteEndObject();
        Emit(0);
    }

    private void NameProcess(long pid, string name)
    {
        if (pid < 0 || (_namedProcesses.TryGetValue(pid, out var known) && known == name))
            return;
        _namedProcesses[pid] = name;
        Begin('M', "process_name", null, pid, 0, null);
        _writer.WriteStartObject("args");
        _writer.WriteString("name", name);
        _writer.WriteEndObject();
        Emit(0);
    }

    /// <summary>The process a track belongs to (its own pid, or its nearest ancestor's); -1 when none says.</summary>
    private long ProcessOf(Track track)
    {
        for (int depth = 0; depth < 64; depth++)
        {
            if (track.Pid >= 0)
                return track.Pid;
            if (track.Parent == 0 || !_tracks.TryGetValue(track.Parent, out var parent))
                return -1;
            track = parent;
        }
        return -1;
    }

    // ---- track events -----------------------------------------------------------------------------------------

    private void AddTrackEvent(Sequence sequence, ReadOnlySpan<byte> bytes, long offset, ulong? time)
    {
        var wire = new ProtoWire(bytes, offset);
        int type = 0;
        string? name = null, category = null;
        ulong trackUuid = 0;
        bool hasTrack = false;
        double counter = 0;
        bool hasCounter = false;
        int annotationsStart = -1;
        int legacyStart = -1, legacyLength = 0;
        long legacyOffset = 0;
        ulong? absoluteUs = null;
        _flowIds.Clear();
        _terminatingFlowIds.Clear();
        while (wire.Next())
        {
            switch (wire.Field)
            {
                case 9: type = (int)wire.ReadInteger(); break;
                case 10: name = Lookup(sequence.Names, wire.ReadInteger()); break;
                case 23 when wire.WireType == 2: name = Text(wire.ReadBytes()); break;
                case 3:
                    _scratch.Clear();
                    wire.ReadRepeated(_scratch, fixed64: false);
                    if (category is null && _scratch.Count > 0)
                        category = Lookup(sequence.Categories, _scratch[0]);
                    break;
                case 22 when wire.WireType == 2:
                    {
                        string c = Text(wire.ReadBytes());
                        category = category is null ? c : category;
                        break;
                    }
                case 11: trackUuid = wire.ReadInteger(); hasTrack = true; break;
                case 30: counter = unchecked((long)wire.ReadInteger()); hasCounter = true; break;
                case 44: counter = wire.ReadDouble(); hasCounter = true; break;
                case 47: wire.ReadRepeated(_flowIds, fixed64: true); break;
                case 36: wire.ReadRepeated(_flowIds, fixed64: false); break;
                case 48: wire.ReadRepeated(_terminatingFlowIds, fixed64: true); break;
                case 42: wire.ReadRepeated(_terminatingFlowIds, fixed64: false); break;
                case 16: absoluteUs = wire.ReadInteger(); break;
                case 12 or 46:
                    // Extra counter values (Chrome's per-thread CPU time beside each slice): counted, not mapped.
                    _scratch.Clear();
                    if (wire.Field == 12)
                        wire.ReadRepeated(_scratch, fixed64: false);
                    else
                        wire.ReadRepeated(_scratch, fixed64: true);
                    for (int i = 0; i < _scratch.Count; i++)
                        _collector.AddSkippedRecord("perfetto extra counter value beside a track_event (e.g. thread time)");
                    break;
                case 4 when wire.WireType == 2:
                    annotationsStart = annotationsStart < 0 ? wire.FieldStart : annotationsStart;
                    wire.Skip();
                    break;
                case 6 when wire.WireType == 2:
                    {
                        var legacy = wire.ReadBytes(out long at);
                        legacyStart = (int)(at - offset);
                        legacyLength = legacy.Length;
                        legacyOffset = at;
                        break;
                    }
                default: wire.Skip(); break;
            }
        }
        ulong ts = time ?? (absoluteUs is { } us ? us * 1000 : 0);
        if (time is null && absoluteUs is null)
        {
            _collector.AddSkippedRecord("perfetto track_event without a timestamp");
            return;
        }
        if (!hasTrack && sequence.HasDefaultTrack)
        {
            trackUuid = sequence.DefaultTrack;
            hasTrack = true;
        }
        Track? track = hasTrack && _tracks.TryGetValue(trackUuid, out var t) ? t : null;
        long pid, tid;
        if (track is not null && track.IsThread)
            (pid, tid) = (track.Pid, track.Tid);
        else if (track is null && sequence.LegacyThread is { } legacyThread)
            (pid, tid) = legacyThread;
        else
            (pid, tid) = (-1, -1);

        if (legacyStart >= 0 && type == 0)
        {
            AddLegacyEvent(sequence, bytes.Slice(legacyStart, legacyLength), legacyOffset, bytes, annotationsStart, offset, name, category, ts, pid, tid, track);
            return;
        }

        switch (type)
        {
            case 4:
                if (track is null || !hasCounter)
                {
                    _collector.AddSkippedRecord("perfetto counter value without a counter track");
                    return;
                }
                // A counter track belongs to a process, not a thread.
                Begin('C', track.Name ?? "counter", category, Math.Max(ProcessOf(track), 0), 0, ts);
                _writer.WriteStartObject("args");
                _writer.WriteNumber("value", counter);
                _writer.WriteEndObject();
                Emit(offset);
                return;
            case 1 or 2 or 3:
                break;
            default:
                _collector.AddSkippedRecord(string.Create(CultureInfo.InvariantCulture, $"perfetto track_event of type {type}"));
                return;
        }

        bool onThread = pid >= 0 && tid >= 0;
        if (!onThread && track is null)
        {
            _collector.AddSkippedRecord("perfetto track_event on an undescribed track");
            return;
        }
        category ??= "";
        if (onThread)
        {
            char phase = type switch { 1 => 'B', 2 => 'E', _ => 'i' };
            Begin(phase, type == 2 ? null : name, type == 2 ? null : category, pid, tid, ts);
            if (type == 3)
                _writer.WriteString("s", "t");
            WriteArgs(sequence, bytes, annotationsStart, offset);
            Emit(offset);
            if (type != 2)
                AddFlows(category, pid, tid, ts);
            return;
        }

        // An async track: its own stack of open slices, so an end (which carries no name) closes the right one.
        long asyncPid = ProcessOf(track!);
        if (asyncPid < 0)
            asyncPid = 0;
        string id = trackUuid.ToString("x", CultureInfo.InvariantCulture);
        switch (type)
        {
            case 1:
                track!.Open.Add((name ?? "", category));
                AsyncEvent('b', name ?? "", category, asyncPid, id, ts, sequence, bytes, annotationsStart, offset);
                break;
            case 2:
                if (track!.Open.Count == 0)
                {
                    _collector.AddSkippedRecord("perfetto slice end with no open slice on its track");
                    return;
                }
                var (openName, openCategory) = track.Open[^1];
                track.Open.RemoveAt(track.Open.Count - 1);
                AsyncEvent('e', openName, openCategory, asyncPid, id, ts, sequence, bytes, annotationsStart, offset);
                break;
            default:
                AsyncEvent('b', name ?? "", category, asyncPid, id, ts, sequence, bytes, annotationsStart, offset);
                AsyncEvent('e', name ?? "", category, asyncPid, id, ts, sequence, bytes, -1, offset);
                break;
        }
        if (_flowIds.Count + _terminatingFlowIds.Count > 0)
            _collector.AddSkippedRecord("perfetto flow on an async track (flows bind to thread slices)");
    }

    private void AsyncEvent(char phase, string name, string category, long pid, string id, ulong ts, Sequence sequence, ReadOnlySpan<byte> bytes, int annotationsStart, long offset)
    {
        Begin(phase, name, category, pid, 0, ts);
        _writer.WriteString("id", id);
        WriteArgs(sequence, bytes, annotationsStart, offset);
        Emit(offset);
    }

    private void AddFlows(string category, long pid, long tid, ulong ts)
    {
        foreach (ulong flow in _flowIds)
        {
            Begin(_flowsSeen.Add(flow) ? 's' : 't', "flow", FlowCategory, pid, tid, ts);
            _writer.WriteString("id", flow.ToString("x", CultureInfo.InvariantCulture));
            Emit(0);
        }
        foreach (ulong flow in _terminatingFlowIds)
        {
            Begin('f', "flow", FlowCategory, pid, tid, ts);
            _writer.WriteString("id", flow.ToString("x", CultureInfo.InvariantCulture));
            _writer.WriteString("bp", "e");
            Emit(0);
            _flowsSeen.Remove(flow);
        }
        _ = category;
    }

    /// <summary>A TrackEvent whose meaning is its <c>legacy_event</c> (Chrome's TRACE_EVENT0-era phases).</summary>
    private void AddLegacyEvent(Sequence sequence, ReadOnlySpan<byte> legacy, long legacyOffset, ReadOnlySpan<byte> bytes, int annotationsStart, long offset,
        string? name, string? category, ulong ts, long pid, long tid, Track? track)
    {
        var wire = new ProtoWire(legacy, legacyOffset);
        int phase = 0;
        ulong? duration = null, id = null;
        long? pidOverride = null, tidOverride = null;
        while (wire.Next())
        {
            switch (wire.Field)
            {
                case 1: name = Lookup(sequence.Names, wire.ReadInteger()); break;
                case 2: phase = (int)wire.ReadInteger(); break;
                case 3: duration = wire.ReadInteger(); break;
                case 6 or 10 or 11: id = wire.ReadInteger(); break;
                case 18: pidOverride = (int)wire.ReadInteger(); break;
                case 19: tidOverride = (int)wire.ReadInteger(); break;
                default: wire.Skip(); break;
            }
        }
        if (pidOverride is { } po)
            pid = po;
        if (tidOverride is { } to)
            tid = to;
        if (pid < 0 && track is not null)
            pid = ProcessOf(track);
        if (phase is < 0x21 or > 0x7E)
        {
            _collector.AddSkippedRecord("perfetto legacy_event without a phase");
            return;
        }
        if ((char)phase is not ('B' or 'E' or 'X' or 'i' or 'I' or 'b' or 'e' or 'n' or 'S' or 'T' or 'p' or 'F' or 's' or 't' or 'f' or 'C'))
        {
            // Samples ('P': V8's CPU profiler; the samples model is separate), marks, object snapshots, …: counted.
            _collector.AddSkippedRecord(string.Create(CultureInfo.InvariantCulture, $"perfetto legacy_event phase '{(char)phase}'"));
            return;
        }
        if (pid < 0 && tid < 0 && sequence.HasDefaultTrack && _tracks.TryGetValue(sequence.DefaultTrack, out var thread) && thread.IsThread)
            (pid, tid) = (thread.Pid, thread.Tid);
        Begin((char)phase, name, category ?? "", Math.Max(pid, 0), Math.Max(tid, 0), ts);
        if (duration is { } d)
            _writer.WriteRawValueProperty("dur", d * 1000);
        if (id is { } i)
            _writer.WriteString("id", i.ToString("x", CultureInfo.InvariantCulture));
        WriteArgs(sequence, bytes, annotationsStart, offset);
        Emit(offset);
    }

    // ---- JSON emission ----------------------------------------------------------------------------------------

    private void Begin(char phase, string? name, string? category, long pid, long tid, ulong? ts)
    {
        _json.ResetWrittenCount();
        _writer.Reset(_json);
        _writer.WriteStartObject();
        Span<char> ph = [phase];
        _writer.WriteString("ph", ph);
        if (name is not null)
            _writer.WriteString("name", name);
        if (category is not null)
            _writer.WriteString("cat", category);
        _writer.WriteNumber("pid", pid);
        _writer.WriteNumber("tid", tid);
        if (ts is { } ns)
            _writer.WriteRawValueProperty("ts", ns);
    }

    private void Emit(long offset)
    {
        _writer.WriteEndObject();
        _writer.Flush();
        _collector.AddEvent(_json.WrittenSpan, offset);
    }

    /// <summary>The <c>debug_annotations</c> of a TrackEvent as the event's <c>args</c> object.</summary>
    private void WriteArgs(Sequence sequence, ReadOnlySpan<byte> bytes, int annotationsStart, long offset)
    {
        if (annotationsStart < 0)
            return;
        _writer.WriteStartObject("args");
        var wire = new ProtoWire(bytes[annotationsStart..], offset + annotationsStart);
        while (wire.Next())
        {
            if (wire.Field == 4 && wire.WireType == 2)
                WriteAnnotation(sequence, wire.ReadBytes(out long at), at, asProperty: true, depth: 0);
            else
                wire.Skip();
        }
        _writer.WriteEndObject();
    }

    private void WriteAnnotation(Sequence sequence, ReadOnlySpan<byte> bytes, long offset, bool asProperty, int depth)
    {
        var wire = new ProtoWire(bytes, offset);
        string? name = null;
        bool wrote = false;
        int dictStart = -1, arrayStart = -1;
        // Name first (it may come after the value on the wire).
        var scan = wire;
        while (scan.Next())
        {
            if (scan.Field == 1)
                name = Lookup(sequence.AnnotationNames, scan.ReadInteger());
            else if (scan.Field == 10 && scan.WireType == 2)
                name = Text(scan.ReadBytes());
            else
                scan.Skip();
        }
        if (asProperty)
            _writer.WritePropertyName(name ?? "");
        while (wire.Next())
        {
            if (wrote && wire.Field is not (11 or 12))
            {
                wire.Skip();
                continue;
            }
            switch (wire.Field)
            {
                case 2: _writer.WriteBooleanValue(wire.ReadInteger() != 0); wrote = true; break;
                case 3: _writer.WriteNumberValue(wire.ReadInteger()); wrote = true; break;
                case 4: _writer.WriteNumberValue(unchecked((long)wire.ReadInteger())); wrote = true; break;
                case 5:
                    {
                        double d = wire.ReadDouble();
                        if (double.IsFinite(d))
                            _writer.WriteNumberValue(d);
                        else
                            _writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                        wrote = true;
                        break;
                    }
                case 6 when wire.WireType == 2: _writer.WriteStringValue(Text(wire.ReadBytes())); wrote = true; break;
                case 13: _writer.WriteStringValue(Lookup(sequence.Strings, wire.ReadInteger())); wrote = true; break;
                case 7: _writer.WriteStringValue("0x" + wire.ReadInteger().ToString("x", CultureInfo.InvariantCulture)); wrote = true; break;
                case 9 when wire.WireType == 2: _writer.WriteStringValue(Text(wire.ReadBytes())); wrote = true; break;
                case 11 when wire.WireType == 2: dictStart = dictStart < 0 ? wire.FieldStart : dictStart; wire.Skip(); break;
                case 12 when wire.WireType == 2: arrayStart = arrayStart < 0 ? wire.FieldStart : arrayStart; wire.Skip(); break;
                default: wire.Skip(); break;
            }
        }
        if (wrote)
            return;
        if (depth >= 16 || (dictStart < 0 && arrayStart < 0))
        {
            _writer.WriteStringValue(depth >= 16 ? "(nested too deep)" : "");
            return;
        }
        bool dict = dictStart >= 0;
        int field = dict ? 11 : 12;
        if (dict)
            _writer.WriteStartObject();
        else
            _writer.WriteStartArray();
        var items = new ProtoWire(bytes[(dict ? dictStart : arrayStart)..], offset + (dict ? dictStart : arrayStart));
        while (items.Next())
        {
            if (items.Field == field && items.WireType == 2)
                WriteAnnotation(sequence, items.ReadBytes(out long at), at, asProperty: dict, depth + 1);
            else
                items.Skip();
        }
        if (dict)
            _writer.WriteEndObject();
        else
            _writer.WriteEndArray();
    }

    private static string Lookup(Dictionary<ulong, string> map, ulong iid) =>
        map.TryGetValue(iid, out var text) ? text : string.Create(CultureInfo.InvariantCulture, $"(interned #{iid} not found)");

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}

internal static class PerfettoJsonWriterExtensions
{
    /// <summary>Writes nanoseconds as the microseconds (with a 3-digit fraction) Chrome JSON carries.</summary>
    public static void WriteRawValueProperty(this Utf8JsonWriter writer, string name, ulong nanoseconds)
    {
        writer.WritePropertyName(name);
        Span<byte> text = stackalloc byte[32];
        ulong us = nanoseconds / 1000, frac = nanoseconds % 1000;
        us.TryFormat(text, out int n, default, CultureInfo.InvariantCulture);
        text[n++] = (byte)'.';
        text[n++] = (byte)('0' + frac / 100);
        text[n++] = (byte)('0' + frac / 10 % 10);
        text[n++] = (byte)('0' + frac % 10);
        writer.WriteRawValue(text[..n], skipInputValidation: true);
    }
}
