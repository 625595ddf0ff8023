using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
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
    private const string FlowKind = "flow:" + FlowCategory;

    /// <summary>Nested annotation dictionaries deeper than this keep their JSON text (as the JSON reader's args).</summary>
    private const int MaxFlattenDepth = 8;

    private readonly ChromeEventCollector _collector;
    private readonly Dictionary<uint, Sequence> _sequences = [];
    private readonly Dictionary<ulong, Track> _tracks = [];
    private readonly Dictionary<uint, (ulong Value, ulong Trace)> _globalClocks = [];
    private readonly List<FlowMark> _flowMarks = [];
    private readonly Dictionary<int, long> _unmappedFields = [];
    private readonly List<KeyValuePair<string, string>> _attributes = [];
    private readonly List<(int Field, int Start, int Length, long Offset)> _payloads = [];
    private readonly List<ulong> _extraValues = [];
    private readonly List<ulong> _extraDoubles = [];
    private readonly List<ulong> _extraTracks = [];
    private readonly List<ulong> _extraDoubleTracks = [];
    private long _sourceLocations;
    private long _logMessages;
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

    public ExecutionTrace Build()
    {
        LinkFlows();
        if (_unmappedFields.Count > 0)
        {
            _collector.Warn("track_event fields not mapped (their events were kept): "
                + string.Join(", ", _unmappedFields.OrderBy(f => f.Key).Select(f => string.Create(CultureInfo.InvariantCulture, $"field {f.Key} ×{f.Value}"))) + ".");
        }
        if (_sourceLocations + _logMessages > 0)
            _collector.Warn(string.Create(CultureInfo.InvariantCulture, $"{_sourceLocations} source location(s) and {_logMessages} log message(s) kept as attributes of their slices (task.posted_from.*, source.*, log_message)."));
        return _collector.Build();
    }

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
        public readonly Dictionary<ulong, (string? File, string? Function, string? Line)> SourceLocations = [];

        /// <summary>The attributes of a slice whose only attribute is its task's source location, by location iid (shared arrays).</summary>
        public readonly Dictionary<ulong, KeyValuePair<string, string>[]> PostedFrom = [];
        public readonly Dictionary<ulong, string> LogBodies = [];
        public readonly List<ulong> ExtraCounterTracks = [];
        public readonly List<ulong> ExtraDoubleCounterTracks = [];

        /// <summary>How many times incremental state was cleared (incremental counters restart from 0).</summary>
        public int Generation;

        public void Clear()
        {
            HasState = true;
            Generation++;
            SourceLocations.Clear();
            PostedFrom.Clear();
            LogBodies.Clear();
            ExtraCounterTracks.Clear();
            ExtraDoubleCounterTracks.Clear();
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
        public int CounterType;
        public double Multiplier = 1;
        public bool Incremental;
        public double Value;
        public Sequence? Sequence;
        public int Generation;
        public object? Series;

        /// <summary>Open async slices (collector slice refs), innermost last.</summary>
        public readonly List<int> Open = [];
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
        var payloads = _payloads;
        payloads.Clear();
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
            if (wire.Field == 4 && wire.WireType == 2)
            {
                ReadSourceLocation(sequence, wire.ReadBytes(out long where), where);
                continue;
            }
            var map = wire.Field switch
            {
                1 => sequence.Categories,
                2 => sequence.Names,
                3 => sequence.AnnotationNames,
                29 => sequence.Strings,
                20 => sequence.LogBodies,
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

    /// <summary>An interned <c>SourceLocation</c>: iid (1), file_name (2), function_name (3), line_number (4).</summary>
    private static void ReadSourceLocation(Sequence sequence, ReadOnlySpan<byte> bytes, long offset)
    {
        var entry = new ProtoWire(bytes, offset);
        ulong iid = 0;
        string? file = null, function = null, line = null;
        while (entry.Next())
        {
            switch (entry.Field)
            {
                case 1: iid = entry.ReadInteger(); break;
                case 2 when entry.WireType == 2: file = Text(entry.ReadBytes()); break;
                case 3 when entry.WireType == 2: function = Text(entry.ReadBytes()); break;
                case 4: line = entry.ReadInteger().ToString(CultureInfo.InvariantCulture); break;
                default: entry.Skip(); break;
            }
        }
        sequence.SourceLocations[iid] = (file, function, line);
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
                    else if (defaults.Field == 31)
                    {
                        sequence.ExtraCounterTracks.Clear();
                        defaults.ReadRepeated(sequence.ExtraCounterTracks, fixed64: false);
                    }
                    else if (defaults.Field == 45)
                    {
                        sequence.ExtraDoubleCounterTracks.Clear();
                        defaults.ReadRepeated(sequence.ExtraDoubleCounterTracks, fixed64: false);
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
        bool isThread = false, isProcess = false, isCounter = false, incremental = false;
        int counterType = 0;
        double multiplier = 1;
        while (wire.Next())
        {
            switch (wire.Field)
            {
                case 1: uuid = wire.ReadInteger(); break;
                case 5: parent = wire.ReadInteger(); break;
                case 2 or 10 when wire.WireType == 2: name = Text(wire.ReadBytes()); break;
                case 8 when wire.WireType == 2:
                    isCounter = true;
                    (counterType, multiplier, incremental) = ReadCounterDescriptor(wire.ReadBytes(out long counterAt), counterAt);
                    break;
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
        if (isCounter)
            (track.CounterType, track.Multiplier, track.Incremental) = (counterType, multiplier, incremental);
        if (pid >= 0)
            track.Pid = pid;
        if (tid >= 0)
            track.Tid = tid;
        if (isThread && (threadName ?? name) is { } tn)
            NameThread(track.Pid, track.Tid, tn);
        if (isProcess && (processName ?? name) is { } pn)
            NameProcess(track.Pid, pn);
    }

    /// <summary>A <c>CounterDescriptor</c>: type (1), unit_multiplier (4), is_incremental (5).</summary>
    private static (int Type, double Multiplier, bool Incremental) ReadCounterDescriptor(ReadOnlySpan<byte> bytes, long offset)
    {
        var c = new ProtoWire(bytes, offset);
        int type = 0;
        double multiplier = 1;
        bool incremental = false;
        while (c.Next())
        {
            switch (c.Field)
            {
                case 1: type = (int)c.ReadInteger(); break;
                case 4: multiplier = Math.Max(1, unchecked((long)c.ReadInteger())); break;
                case 5: incremental = c.ReadInteger() != 0; break;
                default: c.Skip(); break;
            }
        }
        return (type, multiplier, incremental);
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
        // The last description wins (Chrome renames a process once it knows more).
        if (pid >= 0 && tid >= 0)
            _collector.NameThread(pid, tid, name);
    }

    private void NameProcess(long pid, string name)
    {
        if (pid >= 0)
            _collector.NameProcess(pid, name);
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

    /// <summary>Where a TrackEvent's repeated fields start, found in one pass and decoded after (they need the track).</summary>
    private struct EventFields
    {
        public int Type;
        public string? Name;
        public string? Category;
        public ulong TrackUuid;
        public bool HasTrack;
        public double Counter;
        public bool HasCounter;
        public int AnnotationsStart;
        public int LegacyStart;
        public int LegacyLength;
        public long LegacyOffset;
        public ulong? AbsoluteUs;
        public int ExtraStart;
        public int TaskStart;
        public int TaskLength;
        public int LogStart;
        public int LogLength;
        public ulong SourceLocation;
    }

    private void AddTrackEvent(Sequence sequence, ReadOnlySpan<byte> bytes, long offset, ulong? time)
    {
        var wire = new ProtoWire(bytes, offset);
        var e = new EventFields { AnnotationsStart = -1, LegacyStart = -1, ExtraStart = -1, TaskStart = -1, LogStart = -1 };
        _flowIds.Clear();
        _terminatingFlowIds.Clear();
        while (wire.Next())
        {
            switch (wire.Field)
            {
                case 9: e.Type = (int)wire.ReadInteger(); break;
                case 10: e.Name = Lookup(sequence.Names, wire.ReadInteger()); break;
                case 23 when wire.WireType == 2: e.Name = Text(wire.ReadBytes()); break;
                case 3:
                    if (e.Category is null)
                    {
                        _scratch.Clear();
                        wire.ReadRepeated(_scratch, fixed64: false);
                        if (_scratch.Count > 0)
                            e.Category = Lookup(sequence.Categories, _scratch[0]);
                    }
                    else
                    {
                        wire.Skip();
                    }
                    break;
                case 22 when wire.WireType == 2:
                    {
                        var c = wire.ReadBytes();
                        e.Category ??= Text(c);
                        break;
                    }
                case 11: e.TrackUuid = wire.ReadInteger(); e.HasTrack = true; break;
                case 30: e.Counter = unchecked((long)wire.ReadInteger()); e.HasCounter = true; break;
                case 44: e.Counter = wire.ReadDouble(); e.HasCounter = true; break;
                case 47: wire.ReadRepeated(_flowIds, fixed64: true); break;
                case 36: wire.ReadRepeated(_flowIds, fixed64: false); break;
                case 48: wire.ReadRepeated(_terminatingFlowIds, fixed64: true); break;
                case 42: wire.ReadRepeated(_terminatingFlowIds, fixed64: false); break;
                case 16: e.AbsoluteUs = wire.ReadInteger(); break;
                case 12 or 46 or 31 or 45:
                    e.ExtraStart = e.ExtraStart < 0 ? wire.FieldStart : e.ExtraStart;
                    wire.Skip();
                    break;
                case 4 when wire.WireType == 2:
                    e.AnnotationsStart = e.AnnotationsStart < 0 ? wire.FieldStart : e.AnnotationsStart;
                    wire.Skip();
                    break;
                case 5 when wire.WireType == 2:
                    {
                        var task = wire.ReadBytes(out long at);
                        (e.TaskStart, e.TaskLength) = ((int)(at - offset), task.Length);
                        break;
                    }
                case 21 when wire.WireType == 2:
                    {
                        var log = wire.ReadBytes(out long at);
                        (e.LogStart, e.LogLength) = ((int)(at - offset), log.Length);
                        break;
                    }
                case 34: e.SourceLocation = wire.ReadInteger(); break;
                case 6 when wire.WireType == 2:
                    {
                        var legacy = wire.ReadBytes(out long at);
                        e.LegacyStart = (int)(at - offset);
                        e.LegacyLength = legacy.Length;
                        e.LegacyOffset = at;
                        break;
                    }
                default:
                    CountUnmappedField(wire.Field);
                    wire.Skip();
                    break;
            }
        }
        ulong ts = time ?? (e.AbsoluteUs is { } us ? us * 1000 : 0);
        if (time is null && e.AbsoluteUs is null)
        {
            _collector.AddSkippedRecord("perfetto track_event without a timestamp");
            return;
        }
        if (!e.HasTrack && sequence.HasDefaultTrack)
        {
            e.TrackUuid = sequence.DefaultTrack;
            e.HasTrack = true;
        }
        Track? track = e.HasTrack && _tracks.TryGetValue(e.TrackUuid, out var t) ? t : null;
        long pid, tid;
        if (track is not null && track.IsThread)
            (pid, tid) = (track.Pid, track.Tid);
        else if (track is null && sequence.LegacyThread is { } legacyThread)
            (pid, tid) = legacyThread;
        else
            (pid, tid) = (-1, -1);

        if (e.ExtraStart >= 0)
            AddExtraCounters(sequence, bytes[e.ExtraStart..], offset + e.ExtraStart, ts);

        if (e.LegacyStart >= 0 && e.Type == 0)
        {
            if (_flowIds.Count + _terminatingFlowIds.Count > 0)
                _collector.AddSkippedRecord("perfetto flow id on a legacy_event (not linked)");
            AddLegacyEvent(sequence, bytes.Slice(e.LegacyStart, e.LegacyLength), e.LegacyOffset, bytes, e.AnnotationsStart, offset, e.Name, e.Category, ts, pid, tid, track);
            return;
        }

        switch (e.Type)
        {
            case 4:
                if (track is null || !e.HasCounter)
                {
                    _collector.AddSkippedRecord("perfetto counter value without a counter track");
                    return;
                }
                AddCounterValue(track, sequence, e.Counter, ts);
                return;
            case 1 or 2 or 3:
                break;
            default:
                _collector.AddSkippedRecord(string.Create(CultureInfo.InvariantCulture, $"perfetto track_event of type {e.Type}"));
                return;
        }

        bool onThread = pid >= 0 && tid >= 0;
        if (!onThread && track is null)
        {
            _collector.AddSkippedRecord("perfetto track_event on an undescribed track");
            return;
        }
        string category = e.Category ?? "";
        string name = e.Name ?? "";
        var attributes = Attributes(sequence, bytes, offset, in e);
        int slice;
        if (onThread)
        {
            slice = e.Type switch
            {
                1 => _collector.BeginSlice(pid, tid, ts, category, name, attributes),
                2 => _collector.EndSlice(pid, tid, ts, attributes, offset),
                _ => _collector.InstantSlice(pid, tid, ts, category, name, attributes),
            };
        }
        else
        {
            // An async track: its own stack of open slices, so an end (which carries no name) closes the right one.
            long asyncPid = Math.Max(ProcessOf(track!), 0);
            var open = track!.Open;
            switch (e.Type)
            {
                case 1:
                    slice = _collector.BeginAsync(asyncPid, ts, category, name, open.Count > 0 ? open[^1] : ChromeEventCollector.NoSlice, attributes);
                    open.Add(slice);
                    break;
                case 2:
                    if (open.Count == 0)
                    {
                        _collector.AddSkippedRecord("perfetto slice end with no open slice on its track");
                        return;
                    }
                    slice = open[^1];
                    open.RemoveAt(open.Count - 1);
                    _collector.EndAsync(slice, ts, attributes, offset);
                    break;
                default:
                    slice = _collector.BeginAsync(asyncPid, ts, category, name, open.Count > 0 ? open[^1] : ChromeEventCollector.NoSlice, attributes);
                    _collector.EndAsync(slice, ts, null, offset);
                    break;
            }
        }
        if (_flowIds.Count + _terminatingFlowIds.Count > 0)
        {
            if (slice == ChromeEventCollector.NoSlice)
            {
                _collector.AddSkippedRecord("perfetto flow id on a slice end that closed no slice");
                return;
            }
            foreach (ulong flow in _flowIds)
                _flowMarks.Add(new FlowMark(flow, ts, _flowMarks.Count, slice, Terminating: false));
            foreach (ulong flow in _terminatingFlowIds)
                _flowMarks.Add(new FlowMark(flow, ts, _flowMarks.Count, slice, Terminating: true));
        }
    }

    /// <summary>A flow id on a slice-making TrackEvent: the event's time, its order in the file, the slice it names.</summary>
    private readonly record struct FlowMark(ulong Id, ulong Time, int Order, int Slice, bool Terminating);

    /// <summary>
    /// Perfetto's flow semantics (trace processor's flow tracker, over events in timestamp order): the first slice that
    /// carries a flow id starts the flow; each later one is linked from the slice that last carried it and carries it
    /// on; a terminating id links the same way and ends the flow (a later use starts a new one); a terminating id of a
    /// flow that is not under way links nothing.
    /// </summary>
    private void LinkFlows()
    {
        if (_flowMarks.Count == 0)
            return;
        var marks = CollectionsMarshal.AsSpan(_flowMarks);
        marks.Sort(static (a, b) =>
        {
            int c = a.Time.CompareTo(b.Time);
            return c != 0 ? c : a.Order.CompareTo(b.Order);
        });
        var active = new Dictionary<ulong, int>();
        foreach (var mark in marks)
        {
            if (active.TryGetValue(mark.Id, out int from))
                _collector.AddDirectLink(from, mark.Slice, FlowKind);
            else if (mark.Terminating)
                continue;
            if (mark.Terminating)
                active.Remove(mark.Id);
            else
                active[mark.Id] = mark.Slice;
        }
    }

    private void CountUnmappedField(int field)
    {
        ref long count = ref CollectionsMarshal.GetValueRefOrAddDefault(_unmappedFields, field, out _);
        count++;
    }

    /// <summary>
    /// The values of extra counters written beside a slice (Chrome's per-thread CPU time): each value goes to the counter
    /// track named at the same position in the event's <c>extra_counter_track_uuids</c>, else the sequence's defaults.
    /// </summary>
    private void AddExtraCounters(Sequence sequence, ReadOnlySpan<byte> fields, long offset, ulong ts)
    {
        _extraValues.Clear();
        _extraDoubles.Clear();
        _extraTracks.Clear();
        _extraDoubleTracks.Clear();
        var wire = new ProtoWire(fields, offset);
        while (wire.Next())
        {
            switch (wire.Field)
            {
                case 12: wire.ReadRepeated(_extraValues, fixed64: false); break;
                case 46: wire.ReadRepeated(_extraDoubles, fixed64: true); break;
                case 31: wire.ReadRepeated(_extraTracks, fixed64: false); break;
                case 45: wire.ReadRepeated(_extraDoubleTracks, fixed64: false); break;
                default: wire.Skip(); break;
            }
        }
        AddExtraCounters(sequence, _extraValues, _extraTracks.Count > 0 ? _extraTracks : sequence.ExtraCounterTracks, asDouble: false, ts);
        AddExtraCounters(sequence, _extraDoubles, _extraDoubleTracks.Count > 0 ? _extraDoubleTracks : sequence.ExtraDoubleCounterTracks, asDouble: true, ts);
    }

    private void AddExtraCounters(Sequence sequence, List<ulong> values, List<ulong> tracks, bool asDouble, ulong ts)
    {
        for (int i = 0; i < values.Count; i++)
        {
            double value = asDouble ? BitConverter.UInt64BitsToDouble(values[i]) : unchecked((long)values[i]);
            if (i < tracks.Count && _tracks.TryGetValue(tracks[i], out var counter) && counter.IsCounter)
                AddCounterValue(counter, sequence, value, ts);
            else
                _collector.AddSkippedRecord("perfetto extra counter value with no counter track to go to");
        }
    }

    /// <summary>One value on a counter track: scaled by its unit multiplier, summed when the track is incremental.</summary>
    private void AddCounterValue(Track track, Sequence sequence, double value, ulong ts)
    {
        value *= track.Multiplier;
        if (track.Incremental)
        {
            // Deltas count from the last value on the same sequence since its incremental state was last cleared.
            if (!ReferenceEquals(track.Sequence, sequence) || track.Generation != sequence.Generation)
            {
                track.Sequence = sequence;
                track.Generation = sequence.Generation;
                track.Value = 0;
            }
            value = track.Value += value;
        }
        track.Series ??= _collector.CounterSeries(CounterSeries(track));
        _collector.CounterValue(track.Series, ts, value);
    }

    /// <summary>A counter track's series name: its name (or its builtin type's), and the thread it belongs to, if any.</summary>
    private string CounterSeries(Track track)
    {
        string name = track.Name ?? track.CounterType switch
        {
            1 => "thread_time_ns",
            2 => "thread_instruction_count",
            _ => "counter",
        };
        if (track.Parent != 0 && _tracks.TryGetValue(track.Parent, out var parent) && parent.IsThread)
            name = string.Create(CultureInfo.InvariantCulture, $"{name} (thread {parent.Tid})");
        return name + ".value";
    }

    /// <summary>The event's attributes: its debug annotations (nested dictionaries flattened to dotted keys), the task's posting source location, its log message.</summary>
    private KeyValuePair<string, string>[]? Attributes(Sequence sequence, ReadOnlySpan<byte> bytes, long offset, in EventFields e)
    {
        if (e.AnnotationsStart < 0 && e.TaskStart < 0 && e.LogStart < 0 && e.SourceLocation == 0)
            return null;
        _attributes.Clear();
        bool onlyTask = e.AnnotationsStart < 0 && e.LogStart < 0 && e.SourceLocation == 0;
        ulong taskIid = 0;
        if (e.AnnotationsStart >= 0)
        {
            var wire = new ProtoWire(bytes[e.AnnotationsStart..], offset + e.AnnotationsStart);
            while (wire.Next())
            {
                if (wire.Field == 4 && wire.WireType == 2)
                    AddAnnotation(sequence, wire.ReadBytes(out long at), at, null, 0);
                else
                    wire.Skip();
            }
        }
        if (e.TaskStart >= 0)
        {
            var task = new ProtoWire(bytes.Slice(e.TaskStart, e.TaskLength), offset + e.TaskStart);
            while (task.Next())
            {
                if (task.Field == 1 && onlyTask && taskIid == 0)
                {
                    taskIid = task.ReadInteger();
                    if (sequence.PostedFrom.TryGetValue(taskIid, out var shared))
                    {
                        // Chrome posts most tasks from a few places: one array per place, shared by its slices.
                        _sourceLocations++;
                        return shared;
                    }
                    AddSourceLocation(sequence, "task.posted_from", taskIid);
                }
                else if (task.Field == 1)
                {
                    AddSourceLocation(sequence, "task.posted_from", task.ReadInteger());
                }
                else
                {
                    task.Skip();
                }
            }
        }
        if (e.LogStart >= 0)
        {
            var log = new ProtoWire(bytes.Slice(e.LogStart, e.LogLength), offset + e.LogStart);
            while (log.Next())
            {
                if (log.Field == 2)
                {
                    ulong iid = log.ReadInteger();
                    _attributes.Add(new("log_message", sequence.LogBodies.TryGetValue(iid, out var body) ? body : Lookup(sequence.LogBodies, iid)));
                    _logMessages++;
                }
                else if (log.Field == 1)
                {
                    AddSourceLocation(sequence, "log_message.source", log.ReadInteger());
                }
                else
                {
                    log.Skip();
                }
            }
        }
        if (e.SourceLocation != 0)
            AddSourceLocation(sequence, "source", e.SourceLocation);
        if (_attributes.Count == 0)
            return null;
        KeyValuePair<string, string>[] attributes = [.. _attributes];
        if (onlyTask && taskIid != 0 && sequence.SourceLocations.ContainsKey(taskIid))
            sequence.PostedFrom[taskIid] = attributes;
        return attributes;
    }

    private void AddSourceLocation(Sequence sequence, string prefix, ulong iid)
    {
        if (!sequence.SourceLocations.TryGetValue(iid, out var location))
        {
            _attributes.Add(new(prefix, string.Create(CultureInfo.InvariantCulture, $"(interned source location #{iid} not found)")));
            return;
        }
        _sourceLocations++;
        if (location.File is not null)
            _attributes.Add(new(_collector.Intern(prefix + ".file_name"), location.File));
        if (location.Function is not null)
            _attributes.Add(new(_collector.Intern(prefix + ".function_name"), location.Function));
        if (location.Line is not null)
            _attributes.Add(new(_collector.Intern(prefix + ".line_number"), location.Line));
    }

    /// <summary>One debug annotation as attributes: a scalar as one, a dictionary flattened (<c>a.b</c>), an array as its JSON text.</summary>
    private void AddAnnotation(Sequence sequence, ReadOnlySpan<byte> bytes, long offset, string? prefix, int depth)
    {
        var wire = new ProtoWire(bytes, offset);
        string? name = null;
        string? value = null;
        bool dict = false, array = false;
        while (wire.Next())
        {
            switch (wire.Field)
            {
                case 1: name = Lookup(sequence.AnnotationNames, wire.ReadInteger()); break;
                case 10 when wire.WireType == 2: name = _collector.Intern(Text(wire.ReadBytes())); break;
                case 2: value ??= wire.ReadInteger() != 0 ? "true" : "false"; break;
                case 3: value ??= Number(wire.ReadInteger().ToString(CultureInfo.InvariantCulture)); break;
                case 4: value ??= Number(unchecked((long)wire.ReadInteger()).ToString(CultureInfo.InvariantCulture)); break;
                case 5:
                    {
                        double d = wire.ReadDouble();
                        value ??= Number(d.ToString(CultureInfo.InvariantCulture));
                        break;
                    }
                case 6 or 9 when wire.WireType == 2: value ??= Clip(wire.ReadBytes()); break;
                case 13: value ??= Lookup(sequence.Strings, wire.ReadInteger()); break;
                case 7: value ??= "0x" + wire.ReadInteger().ToString("x", CultureInfo.InvariantCulture); break;
                case 11 when wire.WireType == 2: dict = true; wire.Skip(); break;
                case 12 when wire.WireType == 2: array = true; wire.Skip(); break;
                default: wire.Skip(); break;
            }
        }
        string key = prefix is null ? name ?? "" : _collector.Intern(prefix + "." + name);
        if (value is not null)
        {
            _attributes.Add(new(key, value));
            return;
        }
        if (dict && depth < MaxFlattenDepth)
        {
            var items = new ProtoWire(bytes, offset);
            while (items.Next())
            {
                if (items.Field == 11 && items.WireType == 2)
                    AddAnnotation(sequence, items.ReadBytes(out long at), at, key, depth + 1);
                else
                    items.Skip();
            }
            return;
        }
        if (dict || array)
        {
            // Arrays (and dictionaries nested too deep) keep their JSON text, as the JSON reader keeps them.
            _json.ResetWrittenCount();
            _writer.Reset(_json);
            WriteAnnotation(sequence, bytes, offset, asProperty: false, depth);
            _writer.Flush();
            _attributes.Add(new(key, Clip(_json.WrittenSpan)));
            return;
        }
        _attributes.Add(new(key, ""));
    }

    private string Number(string text) => text.Length <= 8 ? _collector.Intern(text) : text;

    /// <summary>UTF-8 text clipped as the JSON reader clips attribute values; short values interned.</summary>
    private string Clip(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= 64)
        {
            Span<char> chars = stackalloc char[64];
            int n = Encoding.UTF8.GetChars(utf8, chars);
            return _collector.Intern(chars[..n]);
        }
        string text = Text(utf8);
        return text.Length > TraceBuilder.DefaultMaxAttributeValueLength ? EventAttributes.Clip(text, TraceBuilder.DefaultMaxAttributeValueLength) : text;
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
