using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Otlp;

/// <summary>
/// Collects what <see cref="OtlpJsonReader"/> streams past (resources, spans with their exceptions, log records,
/// skipped signals), then builds the trace from it in <see cref="Build"/>: log records become zero-length spans.
/// </summary>
internal sealed class OtlpSpanCollector(string path)
{
    private const string UnknownService = "unknown_service";

    private const int ServiceName = 1, ThreadIdKey = 2, ThreadNameKey = 3, ExceptionType = 4, ExceptionMessage = 5, ExceptionStacktrace = 6;

    private struct SpanEntry
    {
        public ulong TraceHi, TraceLo, SpanId, ParentId;
        public int Resource;
        public string Name;
        public ulong Start, End;
        public long Thread;
        public string? ThreadName;
        public string? Error;
        public int FirstException;
    }

    private struct LogEntry
    {
        public ulong TraceHi, TraceLo, SpanId;
        public int Resource;
        public ulong Time;
        public string Severity;
        public string? Body;
        public long Thread;
        public string? ThreadName;
    }

    private readonly List<string?> _services = [];
    private readonly List<SpanEntry> _spans = [];
    private readonly List<(ulong Time, string Message, int Next)> _exceptions = [];
    private readonly List<LogEntry> _logs = [];
    private readonly FunctionNames _functions = new();
    private readonly string?[] _attributes = new string?[7];
    private readonly Dictionary<string, long> _skipped = [];
    private char[] _chars = new char[256];
    private long _endsBeforeStart;
    private long _firstEndBeforeStart = -1;
    private long _logsWithoutTime;

    public int NewResource()
    {
        _services.Add(null);
        return _services.Count - 1;
    }

    public void Skip(string what)
    {
        ref long count = ref CollectionsMarshal.GetValueRefOrAddDefault(_skipped, what, out _);
        count++;
    }

    public void ReadResource(int resource, ReadOnlySpan<byte> json, long offset)
    {
        var v = new JsonValues(json, offset, path, "a resource");
        if (PeekNull(json))
            return;
        v.ExpectObject();
        Array.Clear(_attributes);
        while (v.NextProperty())
        {
            if (v.Reader.ValueTextEquals("attributes"u8))
                ReadAttributes(ref v);
            else
                v.Skip();
        }
        _services[resource] = _attributes[ServiceName];
    }

    public void AddSpan(int resource, ReadOnlySpan<byte> json, long offset)
    {
        var v = new JsonValues(json, offset, path, "a span");
        v.ExpectObject();
        var span = new SpanEntry { Resource = resource, Thread = -1, FirstException = -1, Name = "" };
        bool error = false, hasStart = false;
        string? statusMessage = null;
        int lastException = -1;
        Array.Clear(_attributes);
        while (v.NextProperty())
        {
            var r = v.Reader;
            if (r.ValueTextEquals("traceId"u8))
                (span.TraceHi, span.TraceLo) = TraceId(ref v, "traceId");
            else if (r.ValueTextEquals("spanId"u8))
                span.SpanId = SpanId(ref v, "spanId");
            else if (r.ValueTextEquals("parentSpanId"u8))
                span.ParentId = SpanId(ref v, "parentSpanId");
            else if (r.ValueTextEquals("name"u8))
                span.Name = _functions.Intern(v.Chars("name", ref _chars));
            else if (r.ValueTextEquals("startTimeUnixNano"u8))
            {
                span.Start = v.UInt64("startTimeUnixNano");
                hasStart = true;
            }
            else if (r.ValueTextEquals("endTimeUnixNano"u8))
                span.End = v.UInt64("endTimeUnixNano");
            else if (r.ValueTextEquals("attributes"u8))
                ReadAttributes(ref v);
            else if (r.ValueTextEquals("status"u8))
                (error, statusMessage) = ReadStatus(ref v);
            else if (r.ValueTextEquals("events"u8))
                ReadEvents(ref v, ref span, ref lastException);
            else
                v.Skip();
        }
        if (!hasStart || span.Start == 0)
            throw new TraceFormatException(path, offset, "the span has no startTimeUnixNano; every OTLP span needs its start time.");
        if (span.SpanId == 0)
            throw new TraceFormatException(path, offset, "the span has no spanId (16 hex digits).");
        if (span.End != 0 && span.End < span.Start)
        {
            if (_endsBeforeStart++ == 0)
                _firstEndBeforeStart = offset;
            span.End = span.Start;
        }
        (span.Thread, span.ThreadName) = ThreadOf();
        if (error)
            span.Error = statusMessage ?? "";
        _spans.Add(span);
    }

    public void AddLog(int resource, ReadOnlySpan<byte> json, long offset)
    {
        var v = new JsonValues(json, offset, path, "a log record");
        v.ExpectObject();
        var log = new LogEntry { Resource = resource, Thread = -1, Severity = "" };
        ulong observed = 0;
        int severityNumber = 0;
        string? severityText = null;
        Array.Clear(_attributes);
        while (v.NextProperty())
        {
            var r = v.Reader;
            if (r.ValueTextEquals("timeUnixNano"u8))
                log.Time = v.UInt64("timeUnixNano");
            else if (r.ValueTextEquals("observedTimeUnixNano"u8))
                observed = v.UInt64("observedTimeUnixNano");
            else if (r.ValueTextEquals("severityNumber"u8))
                severityNumber = SeverityNumber(ref v);
            else if (r.ValueTextEquals("severityText"u8))
                severityText = v.String("severityText");
            else if (r.ValueTextEquals("body"u8))
                log.Body = AnyValue(ref v);
            else if (r.ValueTextEquals("traceId"u8))
                (log.TraceHi, log.TraceLo) = TraceId(ref v, "traceId");
            else if (r.ValueTextEquals("spanId"u8))
                log.SpanId = SpanId(ref v, "spanId");
            else if (r.ValueTextEquals("attributes"u8))
                ReadAttributes(ref v);
            else
                v.Skip();
        }
        if (log.Time == 0)
            log.Time = observed;
        if (log.Time == 0)
        {
            _logsWithoutTime++;
            return;
        }
        log.Severity = SeverityName(severityNumber, severityText);
        (log.Thread, log.ThreadName) = ThreadOf();
        _logs.Add(log);
    }

    private (long Thread, string? Name) ThreadOf()
    {
        long thread = -1;
        if (_attributes[ThreadIdKey] is { } text && long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long id)
            && id is >= 0 and <= uint.MaxValue)
            thread = id;
        return (thread, _attributes[ThreadNameKey]);
    }

    private void ReadEvents(ref JsonValues v, ref SpanEntry span, ref int lastException)
    {
        v.Value();
        if (v.Reader.TokenType == JsonTokenType.Null)
            return;
        if (v.Reader.TokenType != JsonTokenType.StartArray)
            throw v.Error($"span field 'events' must be an array, not {JsonValues.Describe(v.Reader.TokenType)}");
        string? spanThread = _attributes[ThreadIdKey], spanThreadName = _attributes[ThreadNameKey];
        while (v.Reader.Read() && v.Reader.TokenType != JsonTokenType.EndArray)
        {
            if (v.Reader.TokenType != JsonTokenType.StartObject)
                throw v.Error("each span event must be an object");
            ulong time = 0;
            bool exception = false;
            Array.Clear(_attributes);
            while (v.NextProperty())
            {
                if (v.Reader.ValueTextEquals("timeUnixNano"u8))
                    time = v.UInt64("timeUnixNano");
                else if (v.Reader.ValueTextEquals("name"u8))
                {
                    v.Value();
                    exception = v.Reader.TokenType == JsonTokenType.String && v.Reader.ValueTextEquals("exception"u8);
                }
                else if (v.Reader.ValueTextEquals("attributes"u8))
                    ReadAttributes(ref v);
                else
                    v.Skip();
            }
            if (!exception)
            {
                Skip("span events other than exceptions");
                continue;
            }
            string message = _attributes[ExceptionType] is { } type
                ? (_attributes[ExceptionMessage] is { } m ? type + ": " + m : type)
                : _attributes[ExceptionMessage] ?? "";
            if (_attributes[ExceptionStacktrace] is { } stack)
                message = message.Length == 0 ? stack : message + "\n" + stack;
            _exceptions.Add((time, message, -1));
            if (lastException < 0)
                span.FirstException = _exceptions.Count - 1;
            else
                _exceptions[lastException] = _exceptions[lastException] with { Next = _exceptions.Count - 1 };
            lastException = _exceptions.Count - 1;
        }
        // Attributes read from events must not leak into the span's own.
        Array.Clear(_attributes);
        _attributes[ThreadIdKey] = spanThread;
        _attributes[ThreadNameKey] = spanThreadName;
    }

    private static (bool Error, string? Message) ReadStatus(ref JsonValues v)
    {
        v.Value();
        if (v.Reader.TokenType == JsonTokenType.Null)
            return (false, null);
        if (v.Reader.TokenType != JsonTokenType.StartObject)
            throw v.Error($"span field 'status' must be an object, not {JsonValues.Describe(v.Reader.TokenType)}");
        bool error = false;
        string? message = null;
        while (v.NextProperty())
        {
            if (v.Reader.ValueTextEquals("code"u8))
            {
                v.Value();
                error = v.Reader.TokenType switch
                {
                    JsonTokenType.Number => v.Reader.TryGetInt32(out int code) && code == 2,
                    JsonTokenType.String => v.Reader.ValueTextEquals("STATUS_CODE_ERROR"u8) || v.Reader.ValueTextEquals("2"u8),
                    JsonTokenType.Null => false,
                    _ => throw v.Error($"'status.code' must be a number or an enum name, not {JsonValues.Describe(v.Reader.TokenType)}"),
                };
            }
            else if (v.Reader.ValueTextEquals("message"u8))
                message = v.String("status.message");
            else
                v.Skip();
        }
        return (error, string.IsNullOrEmpty(message) ? null : message);
    }

    /// <summary>Reads an attribute list, keeping the values of the keys the mapping uses in <see cref="_attributes"/>.</summary>
    private void ReadAttributes(ref JsonValues v)
    {
        v.Value();
        if (v.Reader.TokenType == JsonTokenType.Null)
            return;
        if (v.Reader.TokenType != JsonTokenType.StartArray)
            throw v.Error($"'attributes' must be an array of {{\"key\",\"value\"}}, not {JsonValues.Describe(v.Reader.TokenType)}");
        while (v.Reader.Read() && v.Reader.TokenType != JsonTokenType.EndArray)
        {
            if (v.Reader.TokenType != JsonTokenType.StartObject)
                throw v.Error("each attribute must be an object with 'key' and 'value'");
            int key = -1;
            string? value = null;
            while (v.NextProperty())
            {
                if (v.Reader.ValueTextEquals("key"u8))
                {
                    v.Value();
                    if (v.Reader.TokenType != JsonTokenType.String)
                        throw v.Error($"an attribute's 'key' must be a string, not {JsonValues.Describe(v.Reader.TokenType)}");
                    key = KeyOf(ref v.Reader);
                }
                else if (v.Reader.ValueTextEquals("value"u8))
                {
                    if (key == 0)
                        v.Skip();
                    else
                        value = AnyValue(ref v);
                }
                else
                    v.Skip();
            }
            if (key > 0 && value is not null)
                _attributes[key] = value;
        }
    }

    private static int KeyOf(ref Utf8JsonReader r) =>
        r.ValueTextEquals("service.name"u8) ? ServiceName
        : r.ValueTextEquals("thread.id"u8) ? ThreadIdKey
        : r.ValueTextEquals("thread.name"u8) ? ThreadNameKey
        : r.ValueTextEquals("exception.type"u8) ? ExceptionType
        : r.ValueTextEquals("exception.message"u8) ? ExceptionMessage
        : r.ValueTextEquals("exception.stacktrace"u8) ? ExceptionStacktrace
        : 0;

    /// <summary>An OTLP AnyValue as text: the string, the number or boolean as written, arrays and maps as raw JSON.</summary>
    private static string? AnyValue(ref JsonValues v)
    {
        v.Value();
        if (v.Reader.TokenType == JsonTokenType.Null)
            return null;
        if (v.Reader.TokenType == JsonTokenType.String)
            return v.Text("value"); // tolerated: a bare string instead of {"stringValue":…}
        if (v.Reader.TokenType != JsonTokenType.StartObject)
            throw v.Error($"an attribute or body value must be an object such as {{\"stringValue\":\"…\"}}, not {JsonValues.Describe(v.Reader.TokenType)}");
        string? text = null;
        while (v.NextProperty())
            text = v.RawText(64 * 1024);
        return text;
    }

    private static int SeverityNumber(ref JsonValues v)
    {
        v.Value();
        if (v.Reader.TokenType == JsonTokenType.Number && v.Reader.TryGetInt32(out int n))
            return n;
        if (v.Reader.TokenType == JsonTokenType.String)
        {
            // The enum's name, e.g. SEVERITY_NUMBER_ERROR2.
            string name = v.Text("key");
            string[] names = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
            for (int i = 0; i < names.Length; i++)
            {
                string prefix = "SEVERITY_NUMBER_" + names[i];
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    int step = name.Length > prefix.Length && int.TryParse(name.AsSpan(prefix.Length), out int s) ? s : 1;
                    return (i * 4) + Math.Clamp(step, 1, 4);
                }
            }
            return 0;
        }
        if (v.Reader.TokenType == JsonTokenType.Null)
            return 0;
        throw v.Error($"'severityNumber' must be a number or an enum name, not {JsonValues.Describe(v.Reader.TokenType)}");
    }

    private static string SeverityName(int number, string? text) => number switch
    {
        >= 1 and <= 4 => "TRACE",
        >= 5 and <= 8 => "DEBUG",
        >= 9 and <= 12 => "INFO",
        >= 13 and <= 16 => "WARN",
        >= 17 and <= 20 => "ERROR",
        >= 21 and <= 24 => "FATAL",
        _ => string.IsNullOrWhiteSpace(text) ? "UNSPECIFIED" : text.Trim().ToUpperInvariant(),
    };

    private static (ulong Hi, ulong Lo) TraceId(ref JsonValues v, string field)
    {
        var hex = HexText(ref v, field);
        if (hex.Length == 0)
            return (0, 0);
        if (hex.Length != 32 || !TryHex(hex[..16], out ulong hi) || !TryHex(hex[16..], out ulong lo))
            throw v.Error($"'{field}' holds '{System.Text.Encoding.UTF8.GetString(hex)}', which is not 32 hex digits (OTLP/JSON writes ids in hex, not base64)");
        return (hi, lo);
    }

    private static ulong SpanId(ref JsonValues v, string field)
    {
        var hex = HexText(ref v, field);
        if (hex.Length == 0)
            return 0;
        if (hex.Length != 16 || !TryHex(hex, out ulong id))
            throw v.Error($"'{field}' holds '{System.Text.Encoding.UTF8.GetString(hex)}', which is not 16 hex digits (OTLP/JSON writes ids in hex, not base64)");
        return id;
    }

    private static ReadOnlySpan<byte> HexText(ref JsonValues v, string field)
    {
        v.Value();
        if (v.Reader.TokenType == JsonTokenType.Null)
            return [];
        if (v.Reader.TokenType != JsonTokenType.String || v.Reader.ValueIsEscaped)
            throw v.Error($"'{field}' must be a string of hex digits, not {JsonValues.Describe(v.Reader.TokenType)}");
        return v.Reader.ValueSpan;
    }

    private static bool TryHex(ReadOnlySpan<byte> hex, out ulong value) =>
        Utf8Parser.TryParse(hex, out value, out int used, 'x') && used == hex.Length;

    private static bool PeekNull(ReadOnlySpan<byte> json) => json.Trim(" \t\r\n"u8).SequenceEqual("null"u8);

    /// <summary>Resolves parents and threads and hands spans, exceptions and logs to a <see cref="TraceBuilder"/>.</summary>
    public ExecutionTrace Build()
    {
        var warnings = new List<string>();
        if (_endsBeforeStart > 0)
            warnings.Add(JsonValues.Invariant($"{_endsBeforeStart} span(s) had endTimeUnixNano before startTimeUnixNano (first at byte {_firstEndBeforeStart}); they were given zero length."));
        if (_logsWithoutTime > 0)
        {
            warnings.Add(JsonValues.Invariant($"{_logsWithoutTime} log record(s) had neither timeUnixNano nor observedTimeUnixNano and were skipped."));
        }
        long skipped = _logsWithoutTime;
        foreach (var (what, count) in _skipped.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            skipped += count;
            warnings.Add(JsonValues.Invariant($"skipped {count} × {what} (not traces or logs)."));
        }

        // Span identity is (trace id, span id); the first of a repeated pair is kept.
        var index = new Dictionary<(ulong, ulong, ulong), int>(_spans.Count);
        var kept = new bool[_spans.Count];
        long repeated = 0;
        for (int i = 0; i < _spans.Count; i++)
        {
            var s = _spans[i];
            if (index.TryAdd((s.TraceHi, s.TraceLo, s.SpanId), i))
                kept[i] = true;
            else
                repeated++;
        }
        if (repeated > 0)
            warnings.Add(JsonValues.Invariant($"{repeated} span(s) repeated the trace and span id of an earlier one and were dropped."));

        // Threads: explicit thread.id values, then one per trace id (and per service for logs without one).
        uint nextThread = 0;
        foreach (var s in _spans)
            if (s.Thread >= 0)
                nextThread = Math.Max(nextThread, (uint)s.Thread + 1);
        foreach (var l in _logs)
            if (l.Thread >= 0)
                nextThread = Math.Max(nextThread, (uint)l.Thread + 1);
        nextThread = Math.Max(nextThread, 1);
        var traceThreads = new Dictionary<(ulong, ulong), uint>();
        var serviceThreads = new Dictionary<string, uint>(StringComparer.Ordinal);
        var threadNames = new SortedDictionary<uint, string?>();
        uint TraceThread(ulong hi, ulong lo)
        {
            if (!traceThreads.TryGetValue((hi, lo), out uint id))
            {
                traceThreads[(hi, lo)] = id = nextThread++;
                threadNames[id] = JsonValues.Invariant($"trace {hi:x16}{lo:x16}");
            }
            return id;
        }

        var builder = new TraceBuilder();
        var spanThreads = new uint[_spans.Count];
        for (int i = 0; i < _spans.Count; i++)
        {
            if (!kept[i])
                continue;
            var s = _spans[i];
            uint thread = s.Thread >= 0 ? (uint)s.Thread : TraceThread(s.TraceHi, s.TraceLo);
            if (s.Thread >= 0 && (!threadNames.TryGetValue(thread, out var existing) || existing is null))
                threadNames[thread] = s.ThreadName;
            spanThreads[i] = thread;
            string module = Service(s.Resource);
            builder.AddSpan(new SpanRecord
            {
                SpanId = (ulong)i + 1,
                ParentSpanId = s.ParentId != 0 && index.TryGetValue((s.TraceHi, s.TraceLo, s.ParentId), out int parent) ? (ulong)parent + 1 : 0,
                ThreadId = thread,
                FunctionId = _functions.GetId(module, s.Name),
                StartNs = s.Start,
                EndNs = s.End == 0 ? null : s.End,
                Error = s.FirstException < 0 ? s.Error : null,
            });
            for (int x = s.FirstException; x >= 0; x = _exceptions[x].Next)
                builder.AddSpanException((ulong)i + 1, _exceptions[x].Time, _exceptions[x].Message);
        }
        for (int i = 0; i < _logs.Count; i++)
        {
            var l = _logs[i];
            bool linked = l.SpanId != 0 && index.TryGetValue((l.TraceHi, l.TraceLo, l.SpanId), out int owner);
            owner = linked ? index[(l.TraceHi, l.TraceLo, l.SpanId)] : -1;
            string module = Service(l.Resource);
            uint thread;
            if (l.Thread >= 0)
            {
                thread = (uint)l.Thread;
                if (!threadNames.TryGetValue(thread, out var existing) || existing is null)
                    threadNames[thread] = l.ThreadName;
            }
            else if (owner >= 0)
                thread = spanThreads[owner];
            else if (l.TraceHi != 0 || l.TraceLo != 0)
                thread = TraceThread(l.TraceHi, l.TraceLo);
            else
            {
                if (!serviceThreads.TryGetValue(module, out thread))
                {
                    serviceThreads[module] = thread = nextThread++;
                    threadNames[thread] = "logs " + module;
                }
            }
            builder.AddSpan(new SpanRecord
            {
                SpanId = (ulong)_spans.Count + (ulong)i + 1,
                ParentSpanId = owner >= 0 ? (ulong)owner + 1 : 0,
                ThreadId = thread,
                FunctionId = _functions.GetId(module, "log." + l.Severity),
                StartNs = l.Time,
                EndNs = l.Time,
                Message = l.Body,
            });
        }
        foreach (var (id, name) in threadNames)
            builder.AddThread(id, name);
        _functions.Register(builder);
        builder.Metadata = new TraceMetadata
        {
            SourceFormat = "otlp-json",
            SourcePath = path,
            SkippedEvents = skipped,
            Warnings = warnings,
        };
        return builder.Build();
    }

    private string Service(int resource) => _services[resource] is { Length: > 0 } name ? name : UnknownService;
}
