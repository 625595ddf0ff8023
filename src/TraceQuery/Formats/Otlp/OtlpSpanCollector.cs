using System.Runtime.InteropServices;
using System.Text.Json;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Otlp;

/// <summary>
/// Collects what <see cref="OtlpJsonReader"/> streams past (resources, spans with their attributes, events, links
/// and exceptions, log records, skipped records), then builds the trace from it in <see cref="Build"/>: log records
/// become zero-length spans. Accepts what producers write: JSON or proto field names, hex or base64 ids, 64-bit
/// times as numbers or strings, enums as names or numbers. A span or log record that cannot be kept (no start
/// time, no id, a time the model cannot hold) is skipped and counted, never a reason to refuse the file.
/// </summary>
internal sealed partial class OtlpSpanCollector(string path)
{
    private const string UnknownService = "unknown_service";

    private const int ServiceName = 1, ThreadIdKey = 2, ThreadNameKey = 3, ExceptionType = 4, ExceptionMessage = 5, ExceptionStacktrace = 6;

    /// <summary>Attributes kept per span, span event or log record in the collector (the builder bounds them again).</summary>
    private const int MaxAttributes = TraceBuilder.DefaultMaxAttributesPerSpan;

    private struct LogEntry
    {
        public ulong TraceHi, TraceLo, SpanId;
        public int Resource;
        public ulong Time;
        public string Severity;
        public string? Body;
        public long Thread;
        public string? ThreadName;
        public KeyValuePair<string, string>[]? Attributes;
    }

    private readonly List<string?> _services = [];
    private SpanColumns _spans = new();
    private readonly List<SpanExtra> _extras = [];
    private readonly Utf8Texts _texts = new();
    private readonly Utf8Texts _shortValues = new();
    private readonly TraceIds _traces = new();
    private readonly List<KeyValuePair<string, string>[]> _attributeSets = [];
    private readonly List<(ulong Time, string Message, int Next)> _exceptions = [];
    private readonly List<(ulong Time, string Name, KeyValuePair<string, string>[]? Attributes, int Next)> _events = [];
    private readonly List<(ulong TraceHi, ulong TraceLo, ulong SpanId, int Next)> _links = [];
    private readonly List<LogEntry> _logs = [];
    private readonly FunctionNames _functions = new();
    private readonly string?[] _attributes = new string?[7];
    private List<KeyValuePair<string, string>> _all = [];
    private List<KeyValuePair<string, string>> _spanItems = [];
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long Count, long FirstOffset)> _skipped = new(StringComparer.Ordinal);
    private readonly int[] _recentAttributeSets = [-1, -1, -1, -1, -1, -1, -1, -1];
    private int _nextAttributeSet;
    private readonly KeyValuePair<string, string>[] _front = new KeyValuePair<string, string>[3];
    private char[] _chars = new char[256];
    private long _spansRead;
    private long _logsRead;
    private long _endsBeforeStart;
    private long _firstEndBeforeStart = -1;
    private long _droppedAttributes;
    private long _linkAttributes;

    public int NewResource()
    {
        _services.Add(null);
        return _services.Count - 1;
    }

    /// <summary>Counts one skipped record of kind <paramref name="what"/> (first seen at <paramref name="offset"/>, -1 for none).</summary>
    public void Skip(string what, long offset = -1)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_skipped, what, out bool exists);
        if (!exists)
            entry.FirstOffset = offset;
        entry.Count++;
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
                ReadAttributes(ref v, keepAll: false);
            else
                v.Skip();
        }
        _services[resource] = _attributes[ServiceName];
    }

    public void AddSpan(int resource, ReadOnlySpan<byte> json, long offset)
    {
        var v = new JsonValues(json, offset, path, "a span");
        AddSpan(resource, ref v, offset);
    }

    /// <summary>Reads one span with <paramref name="v"/> (positioned before its opening brace; left after its closing one).</summary>
    public void AddSpan(int resource, ref JsonValues v, long offset)
    {
        _spansRead++;
        v.ExpectObject();
        ulong traceHi = 0, traceLo = 0, spanId = 0, parentId = 0, start = 0, end = 0;
        int name = -1;
        var extra = new SpanExtra(null, null, -1, -1, -1);
        bool hasStart = false;
        int status = 0;
        string? statusMessage = null, kind = null;
        int lastException = -1;
        Array.Clear(_attributes);
        _all.Clear();
        _spanItems.Clear();
        string? spanThread = null, spanThreadName = null;
        while (v.NextProperty())
        {
            switch (SpanFieldOf(ref v.Reader))
            {
                case SpanField.TraceId:
                    (traceHi, traceLo) = TraceId(ref v, "traceId");
                    break;
                case SpanField.SpanId:
                    spanId = SpanId(ref v, "spanId");
                    break;
                case SpanField.ParentSpanId:
                    parentId = SpanId(ref v, "parentSpanId");
                    break;
                case SpanField.Name:
                    v.Value();
                    name = TextId(ref v, "a span", "name");
                    break;
                case SpanField.Start:
                    start = v.UInt64("startTimeUnixNano");
                    hasStart = true;
                    break;
                case SpanField.End:
                    end = v.UInt64("endTimeUnixNano");
                    break;
                case SpanField.Kind:
                    kind = SpanKind(ref v);
                    break;
                case SpanField.Attributes:
                    ReadAttributes(ref v, keepAll: true);
                    // The span's items become _spanItems (the lists swap, nothing is copied).
                    (_spanItems, _all) = (_all, _spanItems);
                    _all.Clear();
                    (spanThread, spanThreadName) = (_attributes[ThreadIdKey], _attributes[ThreadNameKey]);
                    break;
                case SpanField.Status:
                    (status, statusMessage) = ReadStatus(ref v);
                    break;
                case SpanField.Events:
                    ReadEvents(ref v, ref extra, ref lastException);
                    break;
                case SpanField.Links:
                    ReadLinks(ref v, ref extra);
                    break;
                default:
                    v.Skip();
                    break;
            }
        }
        if (!hasStart || start == 0)
        {
            _spanItems.Clear();
            Skip("OTLP span without startTimeUnixNano", offset);
            return;
        }
        if (spanId == 0)
        {
            _spanItems.Clear();
            Skip("OTLP span without a spanId", offset);
            return;
        }
        if (end != 0 && end < start)
        {
            if (_endsBeforeStart++ == 0)
                _firstEndBeforeStart = offset;
            end = start;
        }
        _attributes[ThreadIdKey] = spanThread;
        _attributes[ThreadNameKey] = spanThreadName;
        (long thread, string? threadName) = ThreadOf();
        int attributes = SpanAttributes(kind, status, statusMessage);
        // An error status is kept as the span's status with its message (exception events, when present, stay
        // EXCEPTION events of their own); the message is also shown as otel.status_description.
        extra = extra with { ThreadName = threadName, Error = status == 2 ? statusMessage ?? "" : null };
        int extraIndex = -1;
        if (extra != new SpanExtra(null, null, -1, -1, -1))
        {
            extraIndex = _extras.Count;
            _extras.Add(extra);
        }
        _spans.Add(_traces.Id(traceHi, traceLo), spanId, parentId, start, end, thread, resource, name < 0 ? _texts.Id("") : name, attributes, extraIndex);
    }

    public void AddLog(int resource, ReadOnlySpan<byte> json, long offset)
    {
        var v = new JsonValues(json, offset, path, "a log record");
        AddLog(resource, ref v, offset);
    }

    /// <summary>Reads one log record with <paramref name="v"/> (positioned before its opening brace; left after its closing one).</summary>
    public void AddLog(int resource, ref JsonValues v, long offset)
    {
        _logsRead++;
        v.ExpectObject();
        var log = new LogEntry { Resource = resource, Thread = -1, Severity = "" };
        ulong observed = 0;
        int severityNumber = 0;
        string? severityText = null;
        Array.Clear(_attributes);
        _all.Clear();
        while (v.NextProperty())
        {
            ref var r = ref v.Reader;
            if (Is(ref r, "timeUnixNano"u8, "time_unix_nano"u8))
                log.Time = v.UInt64("timeUnixNano");
            else if (Is(ref r, "observedTimeUnixNano"u8, "observed_time_unix_nano"u8))
                observed = v.UInt64("observedTimeUnixNano");
            else if (Is(ref r, "severityNumber"u8, "severity_number"u8))
                severityNumber = SeverityNumber(ref v);
            else if (Is(ref r, "severityText"u8, "severity_text"u8))
                severityText = v.String("severityText");
            else if (r.ValueTextEquals("body"u8))
                log.Body = AnyValue(ref v);
            else if (Is(ref r, "traceId"u8, "trace_id"u8))
                (log.TraceHi, log.TraceLo) = TraceId(ref v, "traceId");
            else if (Is(ref r, "spanId"u8, "span_id"u8))
                log.SpanId = SpanId(ref v, "spanId");
            else if (r.ValueTextEquals("attributes"u8))
            {
                ReadAttributes(ref v, keepAll: true);
                log.Attributes = TakeAll();
            }
            else
                v.Skip();
        }
        if (log.Time == 0)
            log.Time = observed;
        if (log.Time == 0)
        {
            Skip("OTLP log record with neither timeUnixNano nor observedTimeUnixNano", offset);
            return;
        }
        log.Severity = SeverityName(severityNumber, severityText);
        (log.Thread, log.ThreadName) = ThreadOf();
        _logs.Add(log);
    }

    private enum SpanField
    {
        Other,
        TraceId,
        SpanId,
        ParentSpanId,
        Name,
        Start,
        End,
        Kind,
        Attributes,
        Status,
        Events,
        Links,
    }

    /// <summary>
    /// Which span field the property name the reader is on names, in its JSON or proto spelling: by length first, then
    /// one or two byte comparisons (issue 17's read speed: the chain of comparisons it replaces tried up to 14 names per
    /// property); an escaped name is compared as text.
    /// </summary>
    private static SpanField SpanFieldOf(ref Utf8JsonReader r)
    {
        if (r.ValueIsEscaped || r.HasValueSequence)
        {
            return Is(ref r, "traceId"u8, "trace_id"u8) ? SpanField.TraceId
                : Is(ref r, "spanId"u8, "span_id"u8) ? SpanField.SpanId
                : Is(ref r, "parentSpanId"u8, "parent_span_id"u8) ? SpanField.ParentSpanId
                : r.ValueTextEquals("name"u8) ? SpanField.Name
                : Is(ref r, "startTimeUnixNano"u8, "start_time_unix_nano"u8) ? SpanField.Start
                : Is(ref r, "endTimeUnixNano"u8, "end_time_unix_nano"u8) ? SpanField.End
                : r.ValueTextEquals("kind"u8) ? SpanField.Kind
                : r.ValueTextEquals("attributes"u8) ? SpanField.Attributes
                : r.ValueTextEquals("status"u8) ? SpanField.Status
                : r.ValueTextEquals("events"u8) ? SpanField.Events
                : r.ValueTextEquals("links"u8) ? SpanField.Links
                : SpanField.Other;
        }
        var n = r.ValueSpan;
        return n.Length switch
        {
            4 => n.SequenceEqual("name"u8) ? SpanField.Name : n.SequenceEqual("kind"u8) ? SpanField.Kind : SpanField.Other,
            5 => n.SequenceEqual("links"u8) ? SpanField.Links : SpanField.Other,
            6 => n.SequenceEqual("spanId"u8) ? SpanField.SpanId : n.SequenceEqual("status"u8) ? SpanField.Status
                : n.SequenceEqual("events"u8) ? SpanField.Events : SpanField.Other,
            7 => n.SequenceEqual("traceId"u8) ? SpanField.TraceId : n.SequenceEqual("span_id"u8) ? SpanField.SpanId : SpanField.Other,
            8 => n.SequenceEqual("trace_id"u8) ? SpanField.TraceId : SpanField.Other,
            10 => n.SequenceEqual("attributes"u8) ? SpanField.Attributes : SpanField.Other,
            12 => n.SequenceEqual("parentSpanId"u8) ? SpanField.ParentSpanId : SpanField.Other,
            14 => n.SequenceEqual("parent_span_id"u8) ? SpanField.ParentSpanId : SpanField.Other,
            15 => n.SequenceEqual("endTimeUnixNano"u8) ? SpanField.End : SpanField.Other,
            17 => n.SequenceEqual("startTimeUnixNano"u8) ? SpanField.Start : SpanField.Other,
            18 => n.SequenceEqual("end_time_unix_nano"u8) ? SpanField.End : SpanField.Other,
            20 => n.SequenceEqual("start_time_unix_nano"u8) ? SpanField.Start : SpanField.Other,
            _ => SpanField.Other,
        };
    }

    private (long Thread, string? Name) ThreadOf()
    {
        long thread = -1;
        if (_attributes[ThreadIdKey] is { } text && long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long id)
            && id is >= 0 and <= uint.MaxValue)
            thread = id;
        return (thread, _attributes[ThreadNameKey]);
    }

    /// <summary>
    /// The span's status and kind as the OpenTelemetry non-OTLP conventions name them, first (a display that shows
    /// only the first attributes shows them), then the span's own attributes in the producer's order
    /// (<see cref="_spanItems"/>), as the index of its set in <see cref="_attributeSets"/>; -1 when there are none.
    /// </summary>
    /// <remarks>
    /// One array per recently seen attribute set (issue 17 and 18, read speed): the spans of a thread mostly carry the
    /// same few attributes (thread id, kind), so the set is compared with the recent ones before any array is made, and
    /// keeping one instance instead of one per span keeps both the garbage and the surviving heap small. The arrays are
    /// never changed once built.
    /// </remarks>
    private int SpanAttributes(string? kind, int status, string? statusMessage)
    {
        // What the conventions add in front of the span's own attributes (at most three).
        Span<KeyValuePair<string, string>> front = _front;
        int count = 0;
        if (status != 0)
            front[count++] = new("otel.status_code", status == 2 ? "ERROR" : "OK");
        if (status != 0 && statusMessage is not null)
            front[count++] = new("otel.status_description", statusMessage);
        if (kind is not null)
            front[count++] = new("span.kind", kind);
        front = front[..count];
        var own = CollectionsMarshal.AsSpan(_spanItems);
        if (front.Length + own.Length == 0)
            return -1;
        // Compared with the recent sets before any array is made.
        foreach (int candidate in _recentAttributeSets)
        {
            if (candidate >= 0 && _attributeSets[candidate] is var set && set.Length == front.Length + own.Length
                && SameItems(set.AsSpan(0, front.Length), front) && SameItems(set.AsSpan(front.Length), own))
            {
                _spanItems.Clear();
                return candidate;
            }
        }
        _attributeSets.Add([.. front, .. own]);
        _spanItems.Clear();
        _recentAttributeSets[_nextAttributeSet] = _attributeSets.Count - 1;
        _nextAttributeSet = (_nextAttributeSet + 1) % _recentAttributeSets.Length;
        return _attributeSets.Count - 1;
    }

    private static bool SameItems(ReadOnlySpan<KeyValuePair<string, string>> set, ReadOnlySpan<KeyValuePair<string, string>> items)
    {
        for (int i = 0; i < set.Length; i++)
        {
            if (!string.Equals(set[i].Key, items[i].Key, StringComparison.Ordinal) || !string.Equals(set[i].Value, items[i].Value, StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    private void ReadEvents(ref JsonValues v, ref SpanExtra span, ref int lastException)
    {
        v.Value();
        if (v.Reader.TokenType == JsonTokenType.Null)
            return;
        if (v.Reader.TokenType != JsonTokenType.StartArray)
            throw v.Error($"span field 'events' must be an array, not {JsonValues.Describe(v.Reader.TokenType)}");
        int lastEvent = -1;
        while (v.Reader.Read() && v.Reader.TokenType != JsonTokenType.EndArray)
        {
            if (v.Reader.TokenType != JsonTokenType.StartObject)
                throw v.Error("each span event must be an object");
            ulong time = 0;
            string name = "";
            KeyValuePair<string, string>[]? attributes = null;
            Array.Clear(_attributes);
            _all.Clear();
            while (v.NextProperty())
            {
                if (Is(ref v.Reader, "timeUnixNano"u8, "time_unix_nano"u8))
                    time = v.UInt64("timeUnixNano");
                else if (v.Reader.ValueTextEquals("name"u8))
                    name = _functions.Intern(v.Chars("name", ref _chars));
                else if (v.Reader.ValueTextEquals("attributes"u8))
                {
                    ReadAttributes(ref v, keepAll: true);
                    attributes = TakeAll();
                }
                else
                    v.Skip();
            }
            if (name != "exception")
            {
                _events.Add((time, name, attributes, -1));
                if (lastEvent < 0)
                    span.FirstEvent = _events.Count - 1;
                else
                    _events[lastEvent] = _events[lastEvent] with { Next = _events.Count - 1 };
                lastEvent = _events.Count - 1;
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
        Array.Clear(_attributes);
        _all.Clear();
    }

    private void ReadLinks(ref JsonValues v, ref SpanExtra span)
    {
        v.Value();
        if (v.Reader.TokenType == JsonTokenType.Null)
            return;
        if (v.Reader.TokenType != JsonTokenType.StartArray)
            throw v.Error($"span field 'links' must be an array, not {JsonValues.Describe(v.Reader.TokenType)}");
        int last = -1;
        while (v.Reader.Read() && v.Reader.TokenType != JsonTokenType.EndArray)
        {
            if (v.Reader.TokenType != JsonTokenType.StartObject)
                throw v.Error("each span link must be an object");
            ulong hi = 0, lo = 0, id = 0;
            while (v.NextProperty())
            {
                if (Is(ref v.Reader, "traceId"u8, "trace_id"u8))
                    (hi, lo) = TraceId(ref v, "links.traceId");
                else if (Is(ref v.Reader, "spanId"u8, "span_id"u8))
                    id = SpanId(ref v, "links.spanId");
                else if (v.Reader.ValueTextEquals("attributes"u8))
                {
                    v.Value();
                    if (v.Reader.TokenType == JsonTokenType.StartArray)
                    {
                        int depth = v.Reader.CurrentDepth;
                        while (v.Reader.Read() && !(v.Reader.TokenType == JsonTokenType.EndArray && v.Reader.CurrentDepth == depth))
                        {
                            if (v.Reader.TokenType == JsonTokenType.StartObject && v.Reader.CurrentDepth == depth + 1)
                                _linkAttributes++;
                        }
                    }
                    else
                        v.Reader.Skip();
                }
                else
                    v.Skip();
            }
            if (id == 0)
            {
                Skip("OTLP span link without a spanId");
                continue;
            }
            _links.Add((hi, lo, id, -1));
            if (last < 0)
                span.FirstLink = _links.Count - 1;
            else
                _links[last] = _links[last] with { Next = _links.Count - 1 };
            last = _links.Count - 1;
        }
    }

    /// <summary>The status code (0 unset, 1 ok, 2 error; numbers or enum names) and message.</summary>
    private static (int Code, string? Message) ReadStatus(ref JsonValues v)
    {
        v.Value();
        if (v.Reader.TokenType == JsonTokenType.Null)
            return (0, null);
        if (v.Reader.TokenType != JsonTokenType.StartObject)
            throw v.Error($"span field 'status' must be an object, not {JsonValues.Describe(v.Reader.TokenType)}");
        int code = 0;
        string? message = null;
        while (v.NextProperty())
        {
            if (v.Reader.ValueTextEquals("code"u8))
            {
                v.Value();
                code = v.Reader.TokenType switch
                {
                    JsonTokenType.Number => v.Reader.TryGetInt32(out int n) && n is 1 or 2 ? n : 0,
                    JsonTokenType.String => v.Reader.ValueTextEquals("STATUS_CODE_ERROR"u8) || v.Reader.ValueTextEquals("2"u8) ? 2
                        : v.Reader.ValueTextEquals("STATUS_CODE_OK"u8) || v.Reader.ValueTextEquals("1"u8) ? 1 : 0,
                    JsonTokenType.Null => 0,
                    _ => throw v.Error($"'status.code' must be a number or an enum name, not {JsonValues.Describe(v.Reader.TokenType)}"),
                };
            }
            else if (v.Reader.ValueTextEquals("message"u8))
                message = v.String("status.message");
            else
                v.Skip();
        }
        return (code, string.IsNullOrEmpty(message) ? null : message);
    }

    /// <summary>The span kind as its short name (<c>SERVER</c>), from a number or an enum name; null when unspecified.</summary>
    private static string? SpanKind(ref JsonValues v)
    {
        v.Value();
        int number = -1;
        if (v.Reader.TokenType == JsonTokenType.Number)
            number = v.Reader.TryGetInt32(out int n) ? n : -1;
        else if (v.Reader.TokenType == JsonTokenType.String)
        {
            string text = v.Text("kind");
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int parsed))
                number = parsed;
            else
                return text.StartsWith("SPAN_KIND_", StringComparison.Ordinal) ? (text == "SPAN_KIND_UNSPECIFIED" ? null : text["SPAN_KIND_".Length..]) : text;
        }
        else if (v.Reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            v.Reader.Skip();
        return number switch
        {
            1 => "INTERNAL",
            2 => "SERVER",
            3 => "CLIENT",
            4 => "PRODUCER",
            5 => "CONSUMER",
            _ => null,
        };
    }

    /// <summary>
    /// Reads an attribute list, keeping the values of the keys the mapping uses in <see cref="_attributes"/> and,
    /// with <paramref name="keepAll"/>, every attribute (at most <see cref="MaxAttributes"/>, the rest counted) in <see cref="_all"/>.
    /// </summary>
    private void ReadAttributes(ref JsonValues v, bool keepAll)
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
            string? name = null;
            string? value = null;
            bool keep = keepAll && _all.Count < MaxAttributes;
            while (v.NextProperty())
            {
                if (v.Reader.ValueTextEquals("key"u8))
                {
                    v.Value();
                    if (v.Reader.TokenType != JsonTokenType.String)
                        throw v.Error($"an attribute's 'key' must be a string, not {JsonValues.Describe(v.Reader.TokenType)}");
                    key = KeyOf(ref v.Reader);
                    if (keep)
                        name = _texts[TextId(ref v, "an attribute", "key")];
                }
                else if (v.Reader.ValueTextEquals("value"u8))
                {
                    if (key == 0 && !keep)
                        v.Skip();
                    else
                        value = AnyValue(ref v);
                }
                else
                    v.Skip();
            }
            if (key > 0 && value is not null)
                _attributes[key] = value;
            if (keepAll)
            {
                if (keep && name is not null)
                    _all.Add(new(name, value ?? ""));
                else if (!keep)
                    _droppedAttributes++;
            }
        }
    }

    private KeyValuePair<string, string>[]? TakeAll()
    {
        if (_all.Count == 0)
            return null;
        var items = _all.ToArray();
        _all.Clear();
        return items;
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
    private string? AnyValue(ref JsonValues v)
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
        {
            v.Value();
            text = ShortValue(ref v) ?? (v.Reader.TokenType == JsonTokenType.String ? v.Text("error")
                : System.Text.Encoding.UTF8.GetString(v.CurrentRaw() is var raw && raw.Length > MaxRawValue ? raw[..MaxRawValue] : raw));
        }
        return text;
    }

    /// <summary>Bytes of a non-string attribute value kept as its JSON text.</summary>
    private const int MaxRawValue = 64 * 1024;

    /// <summary>Longest string or number value looked up in <see cref="_values"/>.</summary>
    private const int MaxSharedValueLength = 32;

    /// <summary>Distinct short values kept in <see cref="_values"/>.</summary>
    private const int MaxSharedValues = 4096;

    /// <summary>
    /// A short string or number value (the token the reader is on) as one string instance per distinct text (issue 17,
    /// read speed: thread ids, kinds, status codes and the like repeat on every span); null for anything else, which the
    /// caller reads as before.
    /// </summary>
    private string? ShortValue(ref JsonValues v)
    {
        var token = v.Reader.TokenType;
        if (token is not (JsonTokenType.String or JsonTokenType.Number) || v.Reader.HasValueSequence || v.Reader.ValueSpan.Length > MaxSharedValueLength)
            return null;
        // By the value's bytes first (no escapes: a number, or a string written plainly): no text is made for a known one.
        bool plain = !v.Reader.ValueIsEscaped;
        if (plain && _shortValues.Find(v.Reader.ValueSpan) is var known && known >= 0)
            return _shortValues[known];
        int written;
        if (token == JsonTokenType.Number)
        {
            written = System.Text.Encoding.UTF8.GetChars(v.Reader.ValueSpan, _chars);
        }
        else if (!v.TryCopyString(ref _chars, out written))
        {
            return null;
        }
        var text = _chars.AsSpan(0, written);
        var lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(text, out string? value))
        {
            value = text.ToString();
            if (_values.Count < MaxSharedValues)
                _values.Add(value, value);
        }
        if (plain && _shortValues.Count < MaxSharedValues)
            _shortValues.Remember(v.Reader.ValueSpan, _shortValues.Id(value));
        return value;
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
            return int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number) ? number : 0;
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

    private static bool PeekNull(ReadOnlySpan<byte> json) => json.Trim(" \t\r\n"u8).SequenceEqual("null"u8);

    private string Service(int resource) => _services[resource] is { Length: > 0 } name ? name : UnknownService;
}
