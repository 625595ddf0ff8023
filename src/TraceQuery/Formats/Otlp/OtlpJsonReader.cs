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
/// chain (a parent not in the file makes a root). Thread: the span's <c>thread.id</c> attribute, else one
/// thread per trace id (named <c>trace &lt;id&gt;</c>), since OTLP has no threads. <c>status.code</c> 2 (error)
/// and span events named <c>exception</c> become EXCEPTION events carrying <c>exception.type: exception.message</c>
/// and the stack trace. Log records become zero-length spans of a function <c>log.&lt;SEVERITY&gt;</c> (so the
/// filter word <c>error</c> finds ERROR logs) with the body as message, under their span when they name one.
/// Metrics and span events other than exceptions are skipped and counted.
/// </remarks>
public static class OtlpJsonReader
{
    /// <summary>Reads an OTLP/JSON file (a request object or JSON lines).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TraceFormatException">It is not valid OTLP/JSON; the message names the byte offset.</exception>
    public static ExecutionTrace Open(string path, JsonTraceReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = Path.GetFullPath(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(stream, path, options);
    }

    /// <summary>Reads OTLP/JSON from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors and metadata.</summary>
    /// <exception cref="TraceFormatException">It is not valid OTLP/JSON; the message names the byte offset.</exception>
    public static ExecutionTrace Read(Stream stream, string sourceName, JsonTraceReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        try
        {
            return ReadCore(stream, sourceName, options);
        }
        catch (InvalidOperationException e)
        {
            // Last line of defence (found by fuzzing): System.Text.Json refuses to transcode invalid UTF-8 in
            // a string with InvalidOperationException wherever a string is read.
            throw new TraceFormatException(sourceName, null, "a string in the file is not valid UTF-8 text (invalid bytes or an unpaired surrogate escape): " + e.Message, e);
        }
        catch (ArgumentException e)
        {
            // The trace builder refuses events the model cannot hold (found by fuzzing: an end time past the
            // largest signed 64-bit nanosecond count); that is bad input, not a bug of the caller.
            throw new TraceFormatException(sourceName, null, "the events cannot form a trace: " + e.Message, e);
        }
    }

    private static ExecutionTrace ReadCore(Stream stream, string sourceName, JsonTraceReadOptions? options)
    {
        options ??= JsonTraceReadOptions.Default;
        var json = new JsonStream(stream, sourceName, options.MaxValueBytes, options.MaxDepth, allowMultipleValues: true);
        var state = new OtlpTraceState(sourceName);
        int requests = 0;
        while (json.Read())
        {
            if (json.TokenType != JsonTokenType.StartObject)
                throw new TraceFormatException(sourceName, json.TokenOffset, "expected an OTLP request object ({\"resourceSpans\":[…]} or {\"resourceLogs\":[…]}).");
            requests++;
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueIs("resourceSpans"u8))
                    ReadResources(json, state, logs: false);
                else if (json.ValueIs("resourceLogs"u8))
                    ReadResources(json, state, logs: true);
                else
                {
                    string name = json.GetString();
                    json.SkipValue();
                    state.Skip(name);
                }
            }
        }
        if (requests == 0)
            throw new TraceFormatException(sourceName, 0, "the file is empty; expected OTLP/JSON ({\"resourceSpans\":[…]} per request or per line).");
        return state.Build();
    }

    private static void ReadResources(JsonStream json, OtlpTraceState state, bool logs)
    {
        ExpectArray(json, logs ? "resourceLogs" : "resourceSpans");
        while (NextElement(json))
        {
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
                throw new TraceFormatException(state.Path, json.TokenOffset, "each resource entry must be an object.");
            int resource = state.NewResource();
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueIs("resource"u8))
                {
                    var value = json.ReadValue(out long offset);
                    state.ReadResource(resource, value, offset);
                }
                else if (json.ValueIs(logs ? "scopeLogs"u8 : "scopeSpans"u8))
                {
                    ReadScopes(json, state, resource, logs);
                }
                else
                {
                    json.SkipValue();
                }
            }
        }
    }

    private static void ReadScopes(JsonStream json, OtlpTraceState state, int resource, bool logs)
    {
        ExpectArray(json, logs ? "scopeLogs" : "scopeSpans");
        while (NextElement(json))
        {
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
                throw new TraceFormatException(state.Path, json.TokenOffset, "each scope entry must be an object.");
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueIs(logs ? "logRecords"u8 : "spans"u8))
                {
                    ExpectArray(json, logs ? "logRecords" : "spans");
                    while (NextElement(json))
                    {
                        var value = json.ReadValue(out long offset);
                        if (logs)
                            state.AddLog(resource, value, offset);
                        else
                            state.AddSpan(resource, value, offset);
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
            throw new TraceFormatException(Stateless(json), json.TokenOffset, $"'{field}' must be an array.");
    }

    private static string Stateless(JsonStream json) => json.Path;

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
