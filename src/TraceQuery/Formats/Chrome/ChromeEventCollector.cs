using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Chrome;

/// <summary>
/// Collects what <see cref="ChromeTraceReader"/> streams past (slices per thread, async spans per process, flow steps,
/// thread and process names, counters, samples, skipped kinds), then builds the trace from it in <see cref="Build"/>.
/// </summary>
internal sealed partial class ChromeEventCollector
{
    private const ulong Open = ulong.MaxValue;
    private const string NoCategory = "chrome";

    private readonly string _path;
    private readonly string _sourceFormat;
    private readonly FunctionNames _functions = new();
    private readonly ChromeEventParser _parser;
    private KeyValuePair<string, string>[]? _items;
    private (string Key, double Value)[]? _numbers;
    private readonly Dictionary<(long Pid, long Tid), ThreadState> _threads = [];
    private readonly Dictionary<(long Pid, long Tid), string> _threadNames = [];
    private readonly Dictionary<long, string> _processNames = [];
    private readonly Dictionary<long, string> _processLabels = [];
    private readonly Dictionary<long, int> _processFirstSeen = [];
    private readonly Dictionary<string, List<int>> _openAsync = [];
    private readonly Dictionary<string, List<int>> _openLegacy = [];
    private readonly List<AsyncSlice> _async = [];
    private readonly List<SliceExtra> _extras = [];
    private readonly List<FlowStep> _flowSteps = [];
    private readonly Dictionary<string, long> _stringIds = [];
    private readonly Dictionary<long, string> _idTexts = [];
    private readonly Dictionary<string, long> _skipped = [];
    private readonly Dictionary<string, CounterState> _counters = [];
    private readonly HashSet<string> _topLevelKeys = [];
    private readonly List<string> _warnings = [];
    private readonly List<(ulong Function, string Text)> _topLevelLogs = [];
    private readonly Dictionary<string, string> _requestUrls = new(StringComparer.Ordinal);
    private long _records;
    private long _samples;
    private readonly V8CpuProfiles _profiles = new();
    private long _unmatchedEnds;
    private long _unmatchedAsyncEnds;
    private long _endsBeforeStart;
    private long _firstEndBeforeStart = -1;
    private int _order;

    public ChromeEventCollector(string path, string sourceFormat = "chrome-json")
    {
        _path = path;
        _sourceFormat = sourceFormat;
        _parser = new ChromeEventParser(_functions);
    }

    public void Warn(string warning) => _warnings.Add(warning);

    /// <summary>When set (the Perfetto reader), async and counter records belong to their process only: no thread is made of their (pid, tid).</summary>
    public bool ProcessScopedRecords { get; init; }

    /// <summary>Counts one record of another format that maps to nothing (the Perfetto reader's packets).</summary>
    public void AddSkippedRecord(string kind) => AddSkipped(kind);

    /// <summary>Notes a key of the top-level object (producers sign their files with some).</summary>
    public void TopLevelKey(string key) => _topLevelKeys.Add(key);

    /// <summary>Keeps the top-level <c>stackFrames</c> dictionary (raw JSON) for legacy <c>P</c> sample records that refer to it.</summary>
    public void StackFrames(ReadOnlySpan<byte> json) => _profiles.SetStackFrames(json);

    /// <summary>Messages of a top-level log list shown as warnings, at most this many per list.</summary>
    private const int MaxTopLevelMessages = 10;

    /// <summary>Characters of one top-level log message kept in its warning.</summary>
    private const int MaxTopLevelMessageLength = 300;

    /// <summary>
    /// A top-level list of log lines beside <c>traceEvents</c> (Kineto writes <c>ERROR</c>): each string becomes a log
    /// record at <paramref name="severity"/> (function <c>log.&lt;SEVERITY&gt;</c> with the line as its message, as OTLP log
    /// records are) and a warning (at most <see cref="MaxTopLevelMessages"/>, clipped), the rest counted. Anything but an
    /// array of strings is ignored.
    /// </summary>
    public void TopLevelMessages(string key, string severity, ReadOnlySpan<byte> json)
    {
        ulong function = _functions.GetId($"top-level '{key}' list", "log." + severity);
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            return;
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.String)
                continue;
            if (count++ >= MaxTopLevelMessages)
                continue;
            string text;
            try
            {
                text = reader.GetString() ?? "";
            }
            catch (InvalidOperationException)
            {
                text = "(not valid UTF-8 text)";
            }
            if (text.Length > MaxTopLevelMessageLength)
                text = EventAttributes.Clip(text, MaxTopLevelMessageLength);
            _topLevelLogs.Add((function, text.Trim()));
            _warnings.Add($"the file's top-level '{key}' list says: {text.Trim()}");
        }
        if (count > MaxTopLevelMessages)
            _warnings.Add(JsonValues.Invariant($"the file's top-level '{key}' list holds {count - MaxTopLevelMessages} more message(s), not shown."));
    }

    /// <summary>Maps one event (the bytes of one JSON object) onto the state.</summary>
    public void AddEvent(ReadOnlySpan<byte> json, long offset)
    {
        var v = new JsonValues(json, offset, _path, "a trace event");
        ReadEvent(ref v, json, offset);
    }

    /// <summary>
    /// Maps one event read with <paramref name="v"/> (positioned before its opening brace; left after its closing one) onto
    /// the state; <paramref name="json"/> is the event's bytes and <paramref name="offset"/> where they start.
    /// </summary>
    public void ReadEvent(ref JsonValues v, ReadOnlySpan<byte> json, long offset)
    {
        _parser.Parse(ref v, offset, json.Length, out var record);
        Apply(in record, json);
    }

    /// <summary>
    /// Maps one parsed event onto the state: everything that depends on the records before it (pairing, numbering,
    /// request ids, counters) happens here, in file order; <paramref name="json"/> is the event's bytes.
    /// </summary>
    public void Apply(in ChromeRecord e, ReadOnlySpan<byte> json)
    {
        _records++;
        long pid = e.Pid, tid = e.Tid;
        if (e.Texts is { } texts)
        {
            for (int t = 0; t < texts.Count; t++)
            {
                if (texts[t].Length > 0 && texts[t][0] == ChromeEventParser.PhaseMark)
                {
                    AddSkipped(ChromePhases.Describe(texts[t][1..]));
                    continue;
                }
                long id = StringId(texts[t]);
                if (t == e.PidText)
                    pid = id;
                if (t == e.TidText)
                    tid = id;
            }
        }
        char phase = e.Phase;
        string? name = e.Name, cat = e.Cat, id2 = e.Id;
        ulong ts = e.Ts;
        long offset = e.Offset, phaseOffset = e.PhaseOffset;
        _items = e.Items;
        _numbers = e.Numbers;
        if (phase == '?')
            return;
        if (phase == '\0')
            throw new TraceFormatException(_path, offset, "the event has no 'ph' (phase); every trace event needs one, e.g. \"ph\":\"X\".");
        if (phase is 'B' or 'E' or 'X' or 'i' or 'I' or 'b' or 'e' or 'n' or 'S' or 'T' or 'p' or 'F' or 's' or 't' or 'f' && !e.HasTs)
            throw new TraceFormatException(_path, offset, $"the '{phase}' event has no 'ts' (timestamp in microseconds).");
        _samples += e.Samples;
        if ((phase == 'P' || e.Samples > 0) && _profiles.TryAddRecord(json, offset, _records - 1, _path, phase, name, pid, tid, id2))
        {
            Thread(pid, tid);
            if (phase == 'P')
                return;
        }
        if (phase == 'M')
        {
            AddMetadata(pid, tid, name, e.ArgsName, e.ArgsLabels);
            return;
        }
        cat = string.IsNullOrEmpty(cat) ? NoCategory : cat;
        string? error = e.ArgsError;
        if (error is null && IsErrorCategory(cat))
            error = "";
        bool statusError = false;
        if (error is null && RequestFailure(name) is { } failure)
            (error, statusError) = (failure, true);
        // Async and counter records use only their pid; from a format whose such records belong to no thread
        // (Perfetto's tracks), they make no thread of their (pid, tid).
        var thread = ProcessScopedRecords && phase is 'b' or 'e' or 'n' or 'S' or 'T' or 'p' or 'F' or 'C' ? null! : Thread(pid, tid);
        switch (phase)
        {
            case 'B':
                thread.OpenBegins.Add(thread.Sync.Count);
                thread.Sync.Add(NewSlice(ts, Open, cat, name, error, instant: false, e.BindId, e.FlowIn, e.FlowOut));
                break;
            case 'E':
                {
                    if (thread.OpenBegins.Count == 0)
                    {
                        _unmatchedEnds++;
                        break;
                    }
                    int at = thread.OpenBegins[^1];
                    thread.OpenBegins.RemoveAt(thread.OpenBegins.Count - 1);
                    ref var slice = ref CollectionsMarshal.AsSpan(thread.Sync)[at];
                    slice.End = EndAt(slice.Start, ts, phaseOffset);
                    slice.Error ??= error;
                    if (_items is not null)
                    {
                        if (slice.Extra == 0)
                        {
                            _extras.Add(new SliceExtra { Attributes = _items });
                            slice.Extra = _extras.Count;
                        }
                        else
                        {
                            ref var extra = ref CollectionsMarshal.AsSpan(_extras)[slice.Extra - 1];
                            extra.Attributes = extra.Attributes is null ? _items : [.. extra.Attributes, .. _items];
                        }
                    }
                    break;
                }
            case 'X':
                if (ProducerConventions.IsDeviceCategory(cat))
                    thread.Device = true;
                thread.Sync.Add(NewSlice(ts, e.HasDur ? ts + e.Dur : ts, cat, name, error, instant: false, e.BindId, e.FlowIn, e.FlowOut));
                break;
            case 'i' or 'I':
                thread.Sync.Add(NewSlice(ts, ts, cat, name, error, instant: true, null, false, false) with { StatusError = statusError });
                break;
            case 'b':
                {
                    var stack = OpenStack(_openAsync, AsyncKey(cat, e.Scope, id2, e.LocalId, pid));
                    AddAsync(pid, ts, cat, name, error, stack.Count > 0 ? stack[^1] : -1, legacy: false);
                    stack.Add(_async.Count - 1);
                    break;
                }
            case 'e':
                if (!_openAsync.TryGetValue(AsyncKey(cat, e.Scope, id2, e.LocalId, pid), out var open) || !CloseAsync(open, name, ts, error, phaseOffset))
                    _unmatchedAsyncEnds++;
                break;
            case 'n':
                if (!_openAsync.TryGetValue(AsyncKey(cat, e.Scope, id2, e.LocalId, pid), out var within) || within.Count == 0)
                    AddSkipped(ChromePhases.Describe("n"));
                else
                    AddStep(within[^1], ts, name);
                break;
            case 'S':
                {
                    var stack = OpenStack(_openLegacy, LegacyKey(cat, id2, name));
                    AddAsync(pid, ts, cat, name, error, -1, legacy: true);
                    stack.Add(_async.Count - 1);
                    break;
                }
            case 'T' or 'p':
                if (!_openLegacy.TryGetValue(LegacyKey(cat, id2, name), out var steps) || steps.Count == 0)
                    AddSkipped(ChromePhases.Describe(phase.ToString()));
                else
                    AddStep(steps[^1], ts, name);
                break;
            case 'F':
                if (_openLegacy.TryGetValue(LegacyKey(cat, id2, name), out var legacy) && legacy.Count > 0)
                {
                    ref var slice = ref CollectionsMarshal.AsSpan(_async)[legacy[^1]];
                    legacy.RemoveAt(legacy.Count - 1);
                    slice.End = EndAt(slice.Start, ts, phaseOffset);
                    slice.Error ??= error;
                }
                else
                {
                    _unmatchedAsyncEnds++;
                }
                break;
            case 's' or 't' or 'f':
                _flowSteps.Add(new FlowStep
                {
                    Key = cat + "\u0001" + (id2 ?? ""),
                    Category = cat,
                    Name = name ?? "",
                    Phase = phase,
                    Thread = thread,
                    Time = ts,
                    Enclosing = phase != 'f' || e.BindingPoint == "e",
                    Order = _order++,
                });
                break;
            case 'C':
                AddCounter(name ?? "", ts);
                AddSkipped(ChromePhases.Describe("C"));
                break;
            default:
                AddSkipped(ChromePhases.Describe(phase.ToString()));
                break;
        }
    }

    private void AddMetadata(long pid, long tid, string? name, string? value, string? labelsText)
    {
        switch (name)
        {
            case "thread_name" when value is not null:
                _threadNames[(pid, tid)] = value;
                break;
            case "process_name" when value is not null:
                _processNames[pid] = value;
                break;
            case "process_labels" when labelsText is { } labels:
                _processLabels[pid] = labels;
                break;
            default:
                AddSkipped(ChromePhases.DescribeMetadata(name ?? ""));
                break;
        }
    }

    private void AddAsync(long pid, ulong ts, string cat, string? name, string? error, int parent, bool legacy)
    {
        _processFirstSeen.TryAdd(pid, _processFirstSeen.Count);
        _async.Add(new AsyncSlice
        {
            Pid = pid,
            Start = ts,
            End = Open,
            Function = _functions.GetId(cat, name ?? ""),
            Name = name ?? "",
            Error = error,
            Parent = parent,
            Attributes = _items,
            Legacy = legacy,
        });
    }

    private void AddStep(int slice, ulong ts, string? name)
    {
        ref var owner = ref CollectionsMarshal.AsSpan(_async)[slice];
        (owner.Steps ??= []).Add(new AsyncStep(ts, name ?? "", _items));
    }

    private static List<int> OpenStack(Dictionary<string, List<int>> open, string key)
    {
        ref var stack = ref CollectionsMarshal.GetValueRefOrAddDefault(open, key, out bool exists);
        if (!exists)
            stack = [];
        return stack!;
    }

    /// <summary>Nestable async events pair by category, scope and id; a process-local <c>id2</c> also by process.</summary>
    private static string AsyncKey(string cat, string? scope, string? id, bool localId, long pid) =>
        localId
            ? string.Concat(cat, "\u0001", scope, "\u0001", id, "\u0001", pid.ToString(CultureInfo.InvariantCulture))
            : string.Concat(cat, "\u0001", scope, "\u0001", id);

    /// <summary>Legacy async events (<c>S</c>/<c>T</c>/<c>F</c>) pair by category, id and name.</summary>
    private static string LegacyKey(string cat, string? id, string? name) => string.Concat(cat, "\u0001", id, "\u0001", name);

    /// <summary>An <c>e</c> closes the innermost open <c>b</c> of its key with the same name (any, when it has none).</summary>
    private bool CloseAsync(List<int> stack, string? name, ulong ts, string? error, long offset)
    {
        var span = CollectionsMarshal.AsSpan(_async);
        for (int i = stack.Count - 1; i >= 0; i--)
        {
            ref var slice = ref span[stack[i]];
            if (!string.IsNullOrEmpty(name) && slice.Name != name)
                continue;
            slice.End = EndAt(slice.Start, ts, offset);
            slice.Error ??= error;
            if (_items is not null)
                slice.Attributes = slice.Attributes is null ? _items : [.. slice.Attributes, .. _items];
            stack.RemoveAt(i);
            return true;
        }
        return false;
    }

    private void AddCounter(string name, ulong ts)
    {
        foreach (var (key, value) in _numbers ?? [])
        {
            string series = name + "." + key;
            ref var state = ref CollectionsMarshal.GetValueRefOrAddDefault(_counters, series, out bool exists);
            if (!exists)
                state = new CounterState { Min = value, Max = value, Last = value, LastTime = ts };
            state!.Count++;
            state.Min = Math.Min(state.Min, value);
            state.Max = Math.Max(state.Max, value);
            if (ts >= state.LastTime)
            {
                state.Last = value;
                state.LastTime = ts;
            }
        }
    }

    private ulong EndAt(ulong start, ulong end, long offset)
    {
        if (end >= start)
            return end;
        if (_endsBeforeStart++ == 0)
            _firstEndBeforeStart = offset;
        return start;
    }

    private Slice NewSlice(ulong start, ulong end, string cat, string? name, string? error, bool instant, string? bindId, bool flowIn, bool flowOut) => new()
    {
        Start = start,
        End = end,
        Function = _functions.GetId(cat, name ?? ""),
        Name = name ?? "",
        Error = error,
        Instant = instant,
        Order = _order++,
        Extra = NewExtra(cat, bindId, flowIn, flowOut),
    };

    /// <summary>Keeps the args and flow binding of the event being read, if it has any; returns <see cref="Slice.Extra"/>.</summary>
    private int NewExtra(string cat, string? bindId, bool flowIn, bool flowOut)
    {
        bool bound = bindId is not null && (flowIn || flowOut);
        if (_items is null && !bound)
            return 0;
        _extras.Add(new SliceExtra
        {
            Attributes = _items,
            BindId = bound ? cat + "\u0001" + bindId : null,
            FlowIn = flowIn,
            FlowOut = flowOut,
        });
        return _extras.Count;
    }

    private ThreadState Thread(long pid, long tid)
    {
        ref var thread = ref CollectionsMarshal.GetValueRefOrAddDefault(_threads, (pid, tid), out bool exists);
        if (!exists)
            thread = new ThreadState(_threads.Count - 1, pid, tid);
        return thread!;
    }

    private void AddSkipped(string kind)
    {
        ref long count = ref CollectionsMarshal.GetValueRefOrAddDefault(_skipped, kind, out _);
        count++;
    }

    /// <summary>
    /// Follows network requests by id (<see cref="ProducerConventions.RequestStartName"/> names the URL) and returns how the
    /// current record says its request failed (<see cref="ProducerConventions.RequestFailure"/>), or null.
    /// </summary>
    private string? RequestFailure(string? name)
    {
        string? requestId = null, url = null;
        if (_items is null)
            return null;
        foreach (var (key, value) in _items)
        {
            if (key == ProducerConventions.RequestIdKey)
                requestId = value;
            else if (key == ProducerConventions.RequestUrlKey)
                url = value;
        }
        if (requestId is null)
            return null;
        if (name == ProducerConventions.RequestStartName && url is not null)
            _requestUrls[requestId] = url;
        url ??= _requestUrls.GetValueOrDefault(requestId, "");
        foreach (var (key, value) in _items)
        {
            if (ProducerConventions.RequestFailure(key, value, url) is { } failure)
                return failure;
        }
        return null;
    }

    private static bool IsErrorCategory(string cat)
    {
        foreach (var part in cat.AsSpan().Split(','))
        {
            if (cat.AsSpan()[part].Trim().Equals("error", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>A pid or tid written as a string that is not a number: a stable negative id by first appearance (its text is kept).</summary>
    private long StringId(string text)
    {
        ref long id = ref CollectionsMarshal.GetValueRefOrAddDefault(_stringIds, text, out bool exists);
        if (!exists)
        {
            id = -1 - _stringIds.Count;
            _idTexts[id] = text;
        }
        return id;
    }

    /// <summary>A pid or tid as the producer wrote it.</summary>
    private string IdAsWritten(long id) => _idTexts.TryGetValue(id, out var text) ? text : id.ToString(CultureInfo.InvariantCulture);
}
