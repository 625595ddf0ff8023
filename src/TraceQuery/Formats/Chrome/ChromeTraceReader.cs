using System.Text.Json;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Chrome;

/// <summary>
/// Reads Chrome Trace Event Format JSON (what Chrome, Perfetto, <c>chrome://tracing</c> and many profilers
/// write), in its object form (<c>{"traceEvents":[…]}</c>) or bare-array form, into a <see cref="ExecutionTrace"/>.
/// Streams the file with <see cref="Utf8JsonReader"/>: memory grows with the events kept, not the file. When the whole
/// input is at hand (a file that is not gzip, mapped read-only; a <see cref="MemoryStream"/> with a visible buffer), the
/// event array is parsed in chunks on all cores and applied in file order: the same trace, warnings and errors.
/// </summary>
/// <remarks>
/// Mapping: every <c>(pid, tid)</c> that carries a record other than metadata → a thread (the tid itself when tids are
/// distinct, else numbered by first appearance), with the pid and tid as written, <c>thread_name</c> and
/// <c>process_name</c>; threads that hold only metadata are not threads. <c>name</c> → function; <c>cat</c> → module;
/// <c>ts</c>/<c>dur</c> microseconds, fractional allowed, kept to the nanosecond; <c>args</c> → the span's attributes
/// (nested objects flattened to dotted keys, arrays as JSON text, long values clipped with their length said).
/// Phases <c>B</c>/<c>E</c> (an <c>E</c> closes the innermost open <c>B</c> of its thread; its args join the span's),
/// <c>X</c>, <c>i</c>/<c>I</c> (zero-length spans marked <see cref="SpanMarks.Instant"/>). Async <c>b</c>/<c>e</c>
/// (paired by category, scope and <c>id</c>/<c>id2</c>, and name; nested under the innermost open one with the same id)
/// and legacy <c>S</c>/<c>F</c> (paired by category, id and name) go to one async track per process
/// (<see cref="SpanTrack.Async"/>), never into a thread's stack; <c>n</c>/<c>T</c> become span events of the open async span.
/// Flows <c>s</c>/<c>t</c>/<c>f</c> (bound to the slice around them, or the next slice for a default <c>f</c>) and
/// <c>bind_id</c> with <c>flow_in</c>/<c>flow_out</c> → links between spans. Counters <c>C</c> → counter series
/// (<see cref="TraceMetadata.Counters"/>); V8 CPU profile samples (<c>Profile</c>/<c>ProfileChunk</c>, a <c>cpuProfile</c>
/// record) are counted (<see cref="TraceMetadata.CpuSamples"/>). Every other record kind is skipped and counted
/// (<see cref="TraceMetadata.SkippedRecords"/>). Producer conventions (<see cref="ProducerConventions"/>) mark aggregate
/// rows, envelopes and pseudo-frames, and make GPU streams device tracks. A slice whose <c>args</c> hold an
/// <c>error</c> key, or whose category is <c>error</c>, raises an EXCEPTION carrying the message; an instant with an
/// error is an EXCEPTION raised in the slice around it.
/// </remarks>
public static class ChromeTraceReader
{
    /// <summary>Reads a Chrome trace file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TraceFormatException">It is not valid Chrome trace JSON; the message names the byte offset.</exception>
    public static ExecutionTrace Open(string path, JsonTraceReadOptions? options = null) =>
        JsonTraceReaderShell.Open(path, options, allowMultipleValues: false, ReadDocument);

    /// <summary>Reads Chrome trace JSON from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors and metadata.</summary>
    /// <exception cref="TraceFormatException">It is not valid Chrome trace JSON; the message names the byte offset.</exception>
    public static ExecutionTrace Read(Stream stream, string sourceName, JsonTraceReadOptions? options = null) =>
        JsonTraceReaderShell.Read(stream, sourceName, options, allowMultipleValues: false, ReadDocument);

    /// <summary>Walks the document (object or bare array), hands every event to a collector and builds the trace.</summary>
    private static ExecutionTrace ReadDocument(JsonStream json)
    {
        string sourceName = json.Path;
        var collector = new ChromeEventCollector(sourceName);
        if (!json.Read())
            throw new TraceFormatException(sourceName, 0, "the file is empty; expected Chrome trace JSON ({\"traceEvents\":[…]} or […]).");
        if (json.TokenType == JsonTokenType.StartArray)
        {
            ReadEvents(json, collector, depth: 1);
        }
        else if (json.TokenType == JsonTokenType.StartObject)
        {
            bool sawEvents = false;
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueIs("traceEvents"u8))
                {
                    if (!json.Read() || json.TokenType != JsonTokenType.StartArray)
                        throw new TraceFormatException(sourceName, json.TokenOffset, "'traceEvents' must be an array of events.");
                    sawEvents = true;
                    if (!ReadEvents(json, collector, depth: 2))
                        break;
                }
                else
                {
                    string key = json.GetString();
                    collector.TopLevelKey(key);
                    if (ProducerConventions.TopLevelLogSeverity(key) is { } severity)
                        collector.TopLevelMessages(key, severity, json.ReadValue(out _));
                    else if (key == "stackFrames")
                        collector.StackFrames(json.ReadValue(out _));
                    else
                        json.SkipValue();
                }
            }
            if (!sawEvents)
                throw new TraceFormatException(sourceName, 0, "the JSON object has no 'traceEvents' array; this is not a Chrome trace.");
        }
        else
        {
            throw new TraceFormatException(sourceName, json.TokenOffset, "expected Chrome trace JSON: an object with 'traceEvents' or an array of events.");
        }
        return collector.Build();
    }

    /// <summary>Reads the events of an array; false when the input ended without the closing bracket (allowed by the format).</summary>
    private static bool ReadEvents(JsonStream json, ChromeEventCollector collector, int depth)
    {
        // On all cores where the input allows it; what the chunks leave (nothing, or all from a bad element on) below.
        ChromeChunkedEvents.Read(json, collector, depth);
        while (true)
        {
            byte next = json.Peek();
            if (next == 0)
            {
                collector.Warn("the event array has no closing ']' (allowed by the format for traces cut short); every complete event was read.");
                return false;
            }
            if (next == (byte)']')
            {
                json.Read();
                return true;
            }
            if (json.TryBeginValue("a trace event", out var values, out var bytes, out long start))
            {
                try
                {
                    collector.ReadEvent(ref values, bytes, start);
                }
                catch (Exception e) when (e is JsonException or TraceFormatException or InvalidOperationException)
                {
                    throw json.Recheck(e);
                }
                json.EndValue(ref values);
                continue;
            }
            var value = json.ReadValue(out long offset);
            collector.AddEvent(value, offset);
        }
    }
}
