using System.Globalization;
using System.Text.Json;
using TraceQuery.Model;

namespace TraceQuery.Formats.Chrome;

/// <summary>
/// Writes a <see cref="ExecutionTrace"/> as Chrome Trace Event JSON (object form), for Perfetto or <c>chrome://tracing</c>:
/// CALL → <c>B</c>, RETURN → <c>E</c>, EXCEPTION → an instant with <c>args.error</c> (its message), thread names
/// as <c>M</c> events; <c>pid</c> 1, <c>tid</c> = thread id, <c>cat</c> = module, <c>ts</c> in microseconds with
/// three decimals, so nanoseconds survive a round trip through <see cref="ChromeTraceReader"/>.
/// </summary>
public static class ChromeTraceWriter
{
    /// <summary>Writes the whole trace to <paramref name="stream"/>. O(events); streams, holds nothing per event.</summary>
    public static void Write(ExecutionTrace trace, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true });
        Span<byte> number = stackalloc byte[32];
        w.WriteStartObject();
        w.WriteStartArray("traceEvents");
        foreach (var thread in trace.Threads)
        {
            if (thread.Name is null)
                continue;
            w.WriteStartObject();
            w.WriteString("name", "thread_name");
            w.WriteString("ph", "M");
            w.WriteNumber("pid", 1);
            w.WriteNumber("tid", thread.Id);
            w.WriteStartObject("args");
            w.WriteString("name", thread.Name);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        var spans = trace.Spans;
        foreach (var thread in trace.Threads)
        {
            for (int e = thread.Start; e < thread.End; e++)
            {
                var kind = (EventKind)trace.Kinds[e];
                int span = spans.SpanOfEvent[e];
                if (kind == EventKind.Return && (span < 0 || spans.Statuses[span] == SpanStatus.OrphanReturn))
                    continue;
                ulong fn = trace.GetFunctionId(e);
                w.WriteStartObject();
                w.WriteString("name", trace.Symbols.GetName(fn));
                w.WriteString("cat", trace.Symbols.GetModuleName(fn));
                w.WriteString("ph", kind switch { EventKind.Call => "B", EventKind.Return => "E", _ => "i" });
                w.WritePropertyName("ts");
                w.WriteRawValue(Microseconds(trace.Timestamps[e], number), skipInputValidation: true);
                w.WriteNumber("pid", 1);
                w.WriteNumber("tid", thread.Id);
                if (kind == EventKind.Exception)
                {
                    w.WriteString("s", "t");
                    w.WriteStartObject("args");
                    if (trace.TryGetMessage(e, out string message))
                        w.WriteString("error", message);
                    else
                        w.WriteBoolean("error", true);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            if (w.BytesPending > 1 << 16)
                w.Flush();
        }
        w.WriteEndArray();
        w.WriteString("displayTimeUnit", "ns");
        w.WriteEndObject();
    }

    /// <summary>Writes the trace to a file.</summary>
    public static void Write(ExecutionTrace trace, string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(trace, stream);
    }

    /// <summary>Nanoseconds as microseconds with exactly three decimals, e.g. <c>1234.567</c>.</summary>
    internal static ReadOnlySpan<byte> Microseconds(long ns, Span<byte> buffer)
    {
        long whole = ns / 1000, fraction = ns % 1000;
        whole.TryFormat(buffer, out int n, default, CultureInfo.InvariantCulture);
        buffer[n++] = (byte)'.';
        fraction.TryFormat(buffer[n..], out int m, "D3", CultureInfo.InvariantCulture);
        return buffer[..(n + m)];
    }
}
