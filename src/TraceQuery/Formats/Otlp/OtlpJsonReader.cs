using System.Text.Json;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Otlp;

/// <summary>
/// Reads OpenTelemetry OTLP/JSON (the protobuf JSON mapping of <c>ExportTraceServiceRequest</c> and
/// <c>ExportLogsServiceRequest</c>) into a <see cref="ExecutionTrace"/>: one request object, or the collector file
/// exporter's one-object-per-line form. Streams the file with <see cref="Utf8JsonReader"/>; memory grows with
/// the spans and logs kept, not the file.
/// </summary>
/// <remarks>
/// Mapping: span → CALL at <c>startTimeUnixNano</c> and RETURN at <c>endTimeUnixNano</c> (numbers or strings;
/// none or 0 = still open), span name → function, resource <c>service.name</c> → module, depth from the parent
/// chain (a parent not in the file makes a root, counted and warned). Thread: the span's <c>thread.id</c>
/// attribute, else one thread per trace id (named <c>trace &lt;id&gt;</c>), since OTLP has no threads. Span
/// attributes are kept (bounded), with <c>span.kind</c>, <c>otel.status_code</c> and <c>otel.status_description</c>
/// added; span events are kept as span events, span links as links. Span events named <c>exception</c> become
/// EXCEPTION events carrying <c>exception.type: exception.message</c> and the stack trace; an error status without
/// one becomes an EXCEPTION carrying the status message as written. Log records become zero-length spans of a
/// function <c>log.&lt;SEVERITY&gt;</c> (so the filter word <c>error</c> finds ERROR logs) with the body as message
/// and their attributes, under their span when they name one. Metrics are skipped and counted.
/// Accepted spellings: JSON or proto field names (<c>resourceSpans</c> or <c>resource_spans</c>, also the pre-1.0
/// <c>instrumentationLibrarySpans</c>), hex or base64 ids, enum names or numbers, and Jaeger's api_v3 envelope
/// <c>{"result": {…}}</c>. Times beyond signed 64-bit nanoseconds are shown relative to the first time, or the
/// spans holding them are skipped and counted; no single value refuses the file.
/// </remarks>
public static class OtlpJsonReader
{
    /// <summary>Reads an OTLP/JSON file (a request object or JSON lines).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TraceFormatException">It is not valid OTLP/JSON; the message names the byte offset.</exception>
    public static ExecutionTrace Open(string path, JsonTraceReadOptions? options = null) =>
        JsonTraceReaderShell.Open(path, options, allowMultipleValues: true, ReadDocument);

    /// <summary>Reads OTLP/JSON from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors and metadata.</summary>
    /// <exception cref="TraceFormatException">It is not valid OTLP/JSON; the message names the byte offset.</exception>
    public static ExecutionTrace Read(Stream stream, string sourceName, JsonTraceReadOptions? options = null) =>
        JsonTraceReaderShell.Read(stream, sourceName, options, allowMultipleValues: true, ReadDocument);

    /// <summary>Walks every request object (one, or one per line), hands spans and logs to a collector and builds the trace.</summary>
    private static ExecutionTrace ReadDocument(JsonStream json)
    {
        string sourceName = json.Path;
        var collector = new OtlpSpanCollector(sourceName);
        int requests = 0;
        while (json.Read())
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new TraceFormatException(sourceName, json.TokenOffset, "expected an OTLP request object ({\"resourceSpans\":[…]} or {\"resourceLogs\":[…]}).");
            requests++;
            ReadRequest(json, collector);
        }
        if (requests == 0)
            throw new TraceFormatException(sourceName, 0, "the file is empty; expected OTLP/JSON ({\"resourceSpans\":[…]} per request or per line).");
        return collector.Build();
    }

    /// <summary>
    /// Reads the properties of one request object (its opening brace already read): the signals in JSON or proto
    /// field names, or Jaeger's api_v3 envelope <c>{"result": {"resourceSpans": …}}</c>, which holds a request.
    /// </summary>
    private static void ReadRequest(JsonStream json, OtlpSpanCollector collector)
    {
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            if (json.ValueIs("resourceSpans"u8) || json.ValueIs("resource_spans"u8))
                ReadResources(json, collector, logs: false);
            else if (json.ValueIs("resourceLogs"u8) || json.ValueIs("resource_logs"u8))
                ReadResources(json, collector, logs: true);
            else if (json.ValueIs("result"u8))
            {
                if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
                    throw new TraceFormatException(json.Path, json.TokenOffset, "'result' (Jaeger's api_v3 envelope) must be an object holding an OTLP request ({\"resourceSpans\":[…]}).");
                ReadRequest(json, collector);
            }
            else
            {
                string name = json.GetString();
                json.SkipValue();
                collector.Skip("OTLP '" + name + "' (not traces or logs)");
            }
        }
    }

    private static void ReadResources(JsonStream json, OtlpSpanCollector collector, bool logs)
    {
        ExpectArray(json, logs ? "resourceLogs" : "resourceSpans");
        while (NextElement(json))
        {
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
                throw new TraceFormatException(json.Path, json.TokenOffset, "each resource entry must be an object.");
            int resource = collector.NewResource();
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueIs("resource"u8))
                {
                    var value = json.ReadValue(out long offset);
                    collector.ReadResource(resource, value, offset);
                }
                else if (logs ? IsScopeLogs(json) : IsScopeSpans(json))
                {
                    ReadScopes(json, collector, resource, logs);
                }
                else
                {
                    json.SkipValue();
                }
            }
        }
    }

    // instrumentationLibrary… is the name before OTLP 0.15 (2022); Jaeger and old collectors still write it.
    private static bool IsScopeSpans(JsonStream json) =>
        json.ValueIs("scopeSpans"u8) || json.ValueIs("scope_spans"u8)
        || json.ValueIs("instrumentationLibrarySpans"u8) || json.ValueIs("instrumentation_library_spans"u8);

    private static bool IsScopeLogs(JsonStream json) =>
        json.ValueIs("scopeLogs"u8) || json.ValueIs("scope_logs"u8)
        || json.ValueIs("instrumentationLibraryLogs"u8) || json.ValueIs("instrumentation_library_logs"u8);

    private static void ReadScopes(JsonStream json, OtlpSpanCollector collector, int resource, bool logs)
    {
        ExpectArray(json, logs ? "scopeLogs" : "scopeSpans");
        while (NextElement(json))
        {
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
                throw new TraceFormatException(json.Path, json.TokenOffset, "each scope entry must be an object.");
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (logs ? json.ValueIs("logRecords"u8) || json.ValueIs("log_records"u8) : json.ValueIs("spans"u8))
                {
                    ExpectArray(json, logs ? "logRecords" : "spans");
                    while (NextElement(json))
                    {
                        if (json.TryBeginValue(logs ? "a log record" : "a span", out var values, out _, out long start))
                        {
                            try
                            {
                                if (logs)
                                    collector.AddLog(resource, ref values, start);
                                else
                                    collector.AddSpan(resource, ref values, start);
                            }
                            catch (Exception e) when (e is JsonException or TraceFormatException or InvalidOperationException)
                            {
                                throw json.Recheck(e);
                            }
                            json.EndValue(ref values);
                            continue;
                        }
                        var value = json.ReadValue(out long offset);
                        if (logs)
                            collector.AddLog(resource, value, offset);
                        else
                            collector.AddSpan(resource, value, offset);
                    }
                }
                else
                {
                    json.SkipValue();
                }
            }
        }
    }

    private static void ExpectArray(JsonStream json, string field)
    {
        if (!json.Read() || json.TokenType != JsonTokenType.StartArray)
            throw new TraceFormatException(json.Path, json.TokenOffset, $"'{field}' must be an array.");
    }

    /// <summary>True when another element follows in the current array; consumes the closing bracket otherwise.</summary>
    private static bool NextElement(JsonStream json)
    {
        if (json.Peek() == (byte)']')
        {
            json.Read();
            return false;
        }
        return true;
    }
}
