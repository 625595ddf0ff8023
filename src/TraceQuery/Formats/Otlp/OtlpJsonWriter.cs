using System.Globalization;
using System.Text.Json;
using TraceQuery.Model;

namespace TraceQuery.Formats.Otlp;

/// <summary>
/// Writes a <see cref="ExecutionTrace"/>'s call spans as OTLP/JSON (<c>ExportTraceServiceRequest</c>), one resource per
/// module (<c>service.name</c>), one trace id per thread, <c>thread.id</c>/<c>thread.name</c> attributes, and
/// EXCEPTION events as span events named <c>exception</c> with status code 2. A span cut by a crash (or still
/// open) is written without an end time, so <see cref="OtlpJsonReader"/> reads back the same spans.
/// </summary>
public static class OtlpJsonWriter
{
    /// <summary>
    /// Writes the trace to <paramref name="stream"/>: one request object, or with <paramref name="jsonLines"/>
    /// one request per resource per line (the collector file exporter's form). O(spans + events).
    /// </summary>
    public static void Write(ExecutionTrace trace, Stream stream, bool jsonLines = false)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(stream);
        var spans = trace.Spans;
        // Exceptions per span, in event order.
        var exceptions = new Dictionary<int, List<int>>();
        for (int e = 0; e < trace.EventCount; e++)
        {
            if (trace.Kinds[e] == (byte)EventKind.Exception && spans.SpanOfEvent[e] is int s and >= 0)
            {
                if (!exceptions.TryGetValue(s, out var list))
                    exceptions[s] = list = [];
                list.Add(e);
            }
        }
        var byModule = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (int s = 0; s < spans.Count; s++)
        {
            if (spans.Statuses[s] == SpanStatus.OrphanReturn)
                continue;
            string module = trace.Symbols.GetModuleName(trace.GetFunctionId(spans.StartEvents[s]));
            if (!byModule.TryGetValue(module, out var list))
                byModule[module] = list = [];
            list.Add(s);
        }

        var options = new JsonWriterOptions { SkipValidation = true };
        Utf8JsonWriter? w = null;
        try
        {
            bool first = true;
            foreach (var (module, moduleSpans) in byModule)
            {
                if (w is null || jsonLines)
                {
                    if (w is not null)
                    {
                        w.WriteEndArray();
                        w.WriteEndObject();
                        w.Flush();
                        stream.WriteByte((byte)'\n');
                        w.Dispose();
                    }
                    w = new Utf8JsonWriter(stream, options);
                    w.WriteStartObject();
                    w.WriteStartArray("resourceSpans");
                }
                first = false;
                w.WriteStartObject();
                w.WriteStartObject("resource");
                w.WriteStartArray("attributes");
                WriteAttribute(w, "service.name", module);
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartArray("scopeSpans");
                w.WriteStartObject();
                w.WriteStartObject("scope");
                w.WriteString("name", "TraceQuery");
                w.WriteEndObject();
                w.WriteStartArray("spans");
                foreach (int s in moduleSpans)
                {
                    WriteSpan(w, trace, spans, s, exceptions.GetValueOrDefault(s));
                    if (w.BytesPending > 1 << 16)
                        w.Flush();
                }
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            }
            if (first)
            {
                w = new Utf8JsonWriter(stream, options);
                w.WriteStartObject();
                w.WriteStartArray("resourceSpans");
            }
            w!.WriteEndArray();
            w.WriteEndObject();
            w.Flush();
            if (jsonLines)
                stream.WriteByte((byte)'\n');
        }
        finally
        {
            w?.Dispose();
        }
    }

    /// <summary>Writes the trace to a file.</summary>
    public static void Write(ExecutionTrace trace, string path, bool jsonLines = false)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(trace, stream, jsonLines);
    }

    private static void WriteSpan(Utf8JsonWriter w, ExecutionTrace trace, CallSpans spans, int s, List<int>? exceptions)
    {
        var span = spans.Get(s);
        var thread = trace.Threads[spans.GetThreadIndex(s)];
        w.WriteStartObject();
        w.WriteString("traceId", ((ulong)thread.Id + 1).ToString("x32", CultureInfo.InvariantCulture));
        w.WriteString("spanId", ((ulong)s + 1).ToString("x16", CultureInfo.InvariantCulture));
        if (span.ParentId >= 0)
            w.WriteString("parentSpanId", ((ulong)span.ParentId + 1).ToString("x16", CultureInfo.InvariantCulture));
        w.WriteString("name", trace.Symbols.GetName(span.FunctionId));
        w.WriteNumber("kind", 1);
        w.WriteString("startTimeUnixNano", span.StartNs.ToString(CultureInfo.InvariantCulture));
        bool crashed = span.Status == SpanStatus.Unwound && span.EndEvent == thread.End - 1;
        if (span.EndEvent >= 0 && !crashed)
            w.WriteString("endTimeUnixNano", span.EndNs.ToString(CultureInfo.InvariantCulture));
        w.WriteStartArray("attributes");
        w.WriteStartObject();
        w.WriteString("key", "thread.id");
        w.WriteStartObject("value");
        w.WriteString("intValue", thread.Id.ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
        w.WriteEndObject();
        if (thread.Name is not null)
            WriteAttribute(w, "thread.name", thread.Name);
        w.WriteEndArray();
        if (exceptions is not null)
        {
            w.WriteStartArray("events");
            foreach (int e in exceptions)
            {
                w.WriteStartObject();
                w.WriteString("timeUnixNano", trace.Timestamps[e].ToString(CultureInfo.InvariantCulture));
                w.WriteString("name", "exception");
                if (trace.TryGetMessage(e, out string message))
                {
                    w.WriteStartArray("attributes");
                    WriteAttribute(w, "exception.message", message);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("status");
            w.WriteNumber("code", 2);
            w.WriteEndObject();
        }
        else if (trace.TryGetErrorStatus(span.StartEvent, out string statusMessage))
        {
            w.WriteStartObject("status");
            w.WriteNumber("code", 2);
            if (statusMessage.Length > 0)
                w.WriteString("message", statusMessage);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteAttribute(Utf8JsonWriter w, string key, string value)
    {
        w.WriteStartObject();
        w.WriteString("key", key);
        w.WriteStartObject("value");
        w.WriteString("stringValue", value);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
