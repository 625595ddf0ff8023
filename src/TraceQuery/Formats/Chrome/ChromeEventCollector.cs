using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Chrome;

/// <summary>
/// Collects what <see cref="ChromeTraceReader"/> streams past (slices per thread, open async events, thread and
/// process names, skipped phases), then builds the trace from it in <see cref="Build"/>.
/// </summary>
internal sealed class ChromeEventCollector(string path)
{
    private const ulong Open = ulong.MaxValue;
    private const string NoCategory = "chrome";

    private struct Slice
    {
        public ulong Start;
        public ulong End;
        public ulong Function;
        public string? Error;
        public bool Instant;
        public string Name;
        public int Order;
        public ulong SpanId;
    }

    private sealed class ThreadState(int firstSeen, long pid, long tid)
    {
        public int FirstSeen { get; } = firstSeen;
        public long Pid { get; } = pid;
        public long Tid { get; } = tid;
        public string? Name { get; set; }
        public List<Slice> Sync { get; } = [];
        public List<int> OpenBegins { get; } = [];
        public uint Id { get; set; }
    }

    private struct AsyncSlice
    {
        public ThreadState Thread;
        public ulong Start;
        public ulong End;
        public ulong Function;
        public string Name;
        public string? Error;
        public int Parent;
    }

    private readonly FunctionNames _functions = new();
    private readonly Dictionary<(long Pid, long Tid), ThreadState> _threads = [];
    private readonly Dictionary<long, string> _processNames = [];
    private readonly Dictionary<(long Pid, string Cat, string Id), List<int>> _openAsync = [];
    private readonly List<AsyncSlice> _async = [];
    private readonly Dictionary<string, long> _stringIds = [];
    private readonly Dictionary<string, long> _skipped = [];
    private readonly List<string> _warnings = [];
    private long _unmatchedEnds;
    private long _endsBeforeStart;
    private long _firstEndBeforeStart = -1;
    private int _order;
    private char[] _chars = new char[256];

    public void Warn(string warning) => _warnings.Add(warning);

    /// <summary>Maps one event (the bytes of one JSON object) onto the state.</summary>
    public void AddEvent(ReadOnlySpan<byte> json, long offset)
    {
        var v = new JsonValues(json, offset, path, "a trace event");
        v.ExpectObject();
        string? name = null, cat = null, id = null, scope = null, error = null, metaName = null;
        char phase = '\0';
        ulong ts = 0, dur = 0;
        bool hasTs = false, hasDur = false;
        long pid = 0, tid = 0;
        long phaseOffset = offset;
        {
            while (v.NextProperty())
            {
                var r = v.Reader;
                if (r.ValueTextEquals("ph"u8))
                {
                    phaseOffset = v.Offset;
                    var text = v.Chars("ph", ref _chars);
                    phase = text.Length == 1 ? text[0] : text.Length == 0 ? '\0' : '?';
                    if (phase == '?')
                        AddSkipped(_functions.Intern(text));
                }
                else if (r.ValueTextEquals("name"u8))
                    name = _functions.Intern(v.Chars("name", ref _chars));
                else if (r.ValueTextEquals("cat"u8))
                    cat = _functions.Intern(v.Chars("cat", ref _chars));
                else if (r.ValueTextEquals("ts"u8))
                {
                    ts = v.Microseconds("ts");
                    hasTs = true;
                }
                else if (r.ValueTextEquals("dur"u8))
                {
                    dur = v.Microseconds("dur");
                    hasDur = true;
                }
                else if (r.ValueTextEquals("pid"u8))
                    pid = ProcessOrThreadId(ref v, "pid");
                else if (r.ValueTextEquals("tid"u8))
                    tid = ProcessOrThreadId(ref v, "tid");
                else if (r.ValueTextEquals("id"u8))
                    id = IdText(ref v, "id");
                else if (r.ValueTextEquals("id2"u8))
                    id = Id2Text(ref v);
                else if (r.ValueTextEquals("scope"u8))
                    scope = v.String("scope");
                else if (r.ValueTextEquals("args"u8))
                    ReadArgs(ref v, out error, out metaName);
                else
                    v.Skip();
            }
        }

        if (phase == '?')
            return;
        if (phase == '\0')
            throw new TraceFormatException(path, offset, "the event has no 'ph' (phase); every trace event needs one, e.g. \"ph\":\"X\".");
        if (phase is 'B' or 'E' or 'X' or 'i' or 'I' or 'b' or 'e' && !hasTs)
            throw new TraceFormatException(path, offset, $"the '{phase}' event has no 'ts' (timestamp in microseconds).");
        cat = string.IsNullOrEmpty(cat) ? NoCategory : cat;
        if (error is null && IsErrorCategory(cat))
            error = "";
        switch (phase)
        {
            case 'B':
                {
                    var thread = Thread(pid, tid);
                    thread.OpenBegins.Add(thread.Sync.Count);
                    thread.Sync.Add(NewSlice(ts, Open, cat, name, error, instant: false));
                    break;
                }
            case 'E':
                {
                    var thread = Thread(pid, tid);
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
                    break;
                }
            case 'X':
                Thread(pid, tid).Sync.Add(NewSlice(ts, hasDur ? ts + dur : ts, cat, name, error, instant: false));
                break;
            case 'i' or 'I':
                Thread(pid, tid).Sync.Add(NewSlice(ts, ts, cat, name, error, instant: true));
                break;
            case 'b':
                {
                    var thread = Thread(pid, tid);
                    var key = (pid, cat, (scope ?? "") + "\u0001" + (id ?? ""));
                    if (!_openAsync.TryGetValue(key, out var stack))
                        _openAsync[key] = stack = [];
                    _async.Add(new AsyncSlice
                    {
                        Thread = thread,
                        Start = ts,
                        End = Open,
                        Function = _functions.GetId(cat, name ?? ""),
                        Name = name ?? "",
                        Error = error,
                        Parent = stack.Count > 0 ? stack[^1] : -1,
                    });
                    stack.Add(_async.Count - 1);
                    break;
                }
            case 'e':
                {
                    var key = (pid, cat, (scope ?? "") + "\u0001" + (id ?? ""));
                    if (!_openAsync.TryGetValue(key, out var stack) || !CloseAsync(stack, name ?? "", ts, error, phaseOffset))
                        _unmatchedEnds++;
                    break;
                }
            case 'M':
                if (metaName is not null && name == "thread_name")
                    Thread(pid, tid).Name = metaName;
                else if (metaName is not null && name == "process_name")
                    _processNames[pid] = metaName;
                break;
            default:
                AddSkipped(phase.ToString());
                break;
        }
    }

    private bool CloseAsync(List<int> stack, string name, ulong ts, string? error, long offset)
    {
        var span = CollectionsMarshal.AsSpan(_async);
        for (int i = stack.Count - 1; i >= 0; i--)
        {
            ref var slice = ref span[stack[i]];
            if (slice.Name != name)
                continue;
            slice.End = EndAt(slice.Start, ts, offset);
            slice.Error ??= error;
            stack.RemoveAt(i);
            return true;
        }
        return false;
    }

    private ulong EndAt(ulong start, ulong end, long offset)
    {
        if (end >= start)
            return end;
        if (_endsBeforeStart++ == 0)
            _firstEndBeforeStart = offset;
        return start;
    }

    private Slice NewSlice(ulong start, ulong end, string cat, string? name, string? error, bool instant) => new()
    {
        Start = start,
        End = end,
        Function = _functions.GetId(cat, name ?? ""),
        Name = name ?? "",
        Error = error,
        Instant = instant,
        Order = _order++,
    };

    private ThreadState Thread(long pid, long tid)
    {
        ref var thread = ref CollectionsMarshal.GetValueRefOrAddDefault(_threads, (pid, tid), out bool exists);
        if (!exists)
            thread = new ThreadState(_threads.Count - 1, pid, tid);
        return thread!;
    }

    private void AddSkipped(string phase)
    {
        ref long count = ref CollectionsMarshal.GetValueRefOrAddDefault(_skipped, phase, out _);
        count++;
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

    /// <summary>pid and tid are numbers in most files; a string gets a stable negative id by first appearance.</summary>
    private long ProcessOrThreadId(ref JsonValues v, string field)
    {
        v.Value();
        var r = v.Reader;
        if (r.TokenType == JsonTokenType.Number)
        {
            if (r.TryGetInt64(out long value))
                return value;
            throw v.Error($"'{field}' must be an integer");
        }
        if (r.TokenType == JsonTokenType.String)
        {
            string text = v.Text(field);
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed))
                return parsed;
            ref long id = ref CollectionsMarshal.GetValueRefOrAddDefault<string, long>(_stringIds, text, out bool exists);
            if (!exists)
                id = -1 - _stringIds.Count;
            return id;
        }
        if (r.TokenType == JsonTokenType.Null)
            return 0;
        throw v.Error($"'{field}' must be a number or a string, not {JsonValues.Describe(r.TokenType)}");
    }

    private static string IdText(ref JsonValues v, string field)
    {
        v.Value();
        var r = v.Reader;
        return r.TokenType switch
        {
            JsonTokenType.String => v.Text(field),
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(r.ValueSpan),
            JsonTokenType.Null => "",
            _ => throw v.Error($"'{field}' must be a string or a number, not {JsonValues.Describe(r.TokenType)}"),
        };
    }

    private static string Id2Text(ref JsonValues v)
    {
        v.Value();
        if (v.Reader.TokenType != JsonTokenType.StartObject)
            throw v.Error($"'id2' must be an object with 'local' or 'global', not {JsonValues.Describe(v.Reader.TokenType)}");
        string text = "";
        while (v.NextProperty())
        {
            bool local = v.Reader.ValueTextEquals("local"u8);
            bool global = v.Reader.ValueTextEquals("global"u8);
            if (local || global)
                text = (local ? "local:" : "global:") + IdText(ref v, "id2");
            else
                v.Skip();
        }
        return text;
    }

    /// <summary>Reads <c>args</c>: an <c>error</c> entry (any JSON) and, for metadata events, <c>name</c>.</summary>
    private static void ReadArgs(ref JsonValues v, out string? error, out string? metaName)
    {
        error = null;
        metaName = null;
        v.Value();
        if (v.Reader.TokenType == JsonTokenType.Null)
            return;
        if (v.Reader.TokenType != JsonTokenType.StartObject)
            throw v.Error($"'args' must be an object, not {JsonValues.Describe(v.Reader.TokenType)}");
        while (v.NextProperty())
        {
            if (v.Reader.ValueTextEquals("error"u8))
            {
                // "error": true marks an error without a message; false or null marks none.
                error = v.RawText(4096) switch
                {
                    "true" => "",
                    "false" or "null" => null,
                    var text => text,
                };
            }
            else if (v.Reader.ValueTextEquals("name"u8))
            {
                v.Value();
                if (v.Reader.TokenType == JsonTokenType.String)
                    metaName = v.Text("args.name");
                else
                    v.Skip();
            }
            else
                v.Skip();
        }
    }

    /// <summary>Nests each thread's slices by time, numbers threads, and hands everything to a <see cref="TraceBuilder"/>.</summary>
    public ExecutionTrace Build()
    {
        if (_unmatchedEnds > 0)
            _warnings.Add(JsonValues.Invariant($"{_unmatchedEnds} end event(s) ('E' or 'e') had no open begin to close and were ignored."));
        if (_endsBeforeStart > 0)
            _warnings.Add(JsonValues.Invariant($"{_endsBeforeStart} slice(s) ended before they began (first at byte {_firstEndBeforeStart}); they were given zero length."));
        long skipped = 0;
        if (_skipped.Count > 0)
        {
            foreach (var count in _skipped.Values)
                skipped += count;
            _warnings.Add(JsonValues.Invariant($"{skipped} event(s) of phases the model has no place for were skipped: ")
                + string.Join(", ", _skipped.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonValues.Invariant($"'{p.Key}' ×{p.Value}"))) + ".");
        }

        var threads = _threads.Values.OrderBy(t => t.FirstSeen).ToList();
        bool tidsAreIds = threads.Select(t => t.Tid).Distinct().Count() == threads.Count && threads.All(t => t.Tid is >= 0 and <= uint.MaxValue);
        bool manyProcesses = threads.Select(t => t.Pid).Distinct().Count() > 1;
        var builder = new TraceBuilder
        {
            Metadata = new TraceMetadata
            {
                SourceFormat = "chrome-json",
                SourcePath = path,
                SkippedEvents = skipped,
                Warnings = _warnings,
            },
        };
        _functions.Register(builder);
        ulong nextSpan = 1;
        for (int i = 0; i < threads.Count; i++)
        {
            var thread = threads[i];
            thread.Id = tidsAreIds ? (uint)thread.Tid : (uint)i;
            string? process = _processNames.GetValueOrDefault(thread.Pid);
            string? name = thread.Name is null ? null : manyProcesses && process is not null ? process + ": " + thread.Name : thread.Name;
            builder.AddThread(thread.Id, name ?? (thread.Name is null && process is not null && manyProcesses ? process : null));
        }
        foreach (var thread in threads)
            AddSyncSlices(builder, thread, ref nextSpan);
        var asyncIds = new ulong[_async.Count];
        for (int i = 0; i < _async.Count; i++)
        {
            var slice = _async[i];
            asyncIds[i] = nextSpan++;
            builder.AddSpan(new SpanRecord
            {
                SpanId = asyncIds[i],
                ParentSpanId = slice.Parent >= 0 ? asyncIds[slice.Parent] : 0,
                ThreadId = slice.Thread.Id,
                FunctionId = slice.Function,
                StartNs = slice.Start,
                EndNs = slice.End == Open ? null : slice.End,
                Error = slice.Error,
            });
        }
        return builder.Build();
    }

    private static void AddSyncSlices(TraceBuilder builder, ThreadState thread, ref ulong nextSpan)
    {
        var slices = CollectionsMarshal.AsSpan(thread.Sync);
        // Outer slices first: by start, then longest (open = longest), then file order.
        slices.Sort(static (a, b) =>
        {
            int c = a.Start.CompareTo(b.Start);
            if (c != 0)
                return c;
            c = b.End.CompareTo(a.End);
            return c != 0 ? c : a.Order.CompareTo(b.Order);
        });
        var stack = new List<int>();
        for (int i = 0; i < slices.Length; i++)
        {
            ref var slice = ref slices[i];
            while (stack.Count > 0 && (slices[stack[^1]].End <= slice.Start && !(slices[stack[^1]].End == slice.Start && slices[stack[^1]].Start == slice.Start && !slices[stack[^1]].Instant && slice.Instant)))
                stack.RemoveAt(stack.Count - 1);
            int parent = stack.Count > 0 ? stack[^1] : -1;
            if (slice.Instant && slice.Error is not null && parent >= 0)
            {
                // An error marked at an instant is an exception raised in the slice around it.
                ref var owner = ref slices[parent];
                string message = slice.Name == owner.Name || slice.Name.Length == 0 ? slice.Error
                    : slice.Error.Length == 0 ? slice.Name : slice.Name + ": " + slice.Error;
                builder.AddSpanException(owner.SpanId, slice.Start, message);
                continue;
            }
            slice.SpanId = nextSpan++;
            builder.AddSpan(new SpanRecord
            {
                SpanId = slice.SpanId,
                ParentSpanId = parent >= 0 ? slices[parent].SpanId : 0,
                ThreadId = thread.Id,
                FunctionId = slice.Function,
                StartNs = slice.Start,
                EndNs = slice.End == Open ? null : slice.End,
                Error = slice.Error,
            });
            if (!slice.Instant)
                stack.Add(i);
        }
    }
}
