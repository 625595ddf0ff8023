using System.Text.Json;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Chrome;

/// <summary>
/// Reads a V8 <c>.cpuprofile</c> (<c>node --cpu-prof</c>, DevTools "Save profile" of the JavaScript profiler): one
/// object with <c>nodes</c> (call tree with <c>callFrame</c>s), <c>samples</c> (node ids), <c>timeDeltas</c> (µs) and
/// <c>startTime</c>, into a trace holding only stack samples on one thread (<see cref="ExecutionTrace.Samples"/>). Gzip is
/// read through. Sample weights follow DevTools: each sample weighs the gap to the next one.
/// </summary>
public static class CpuProfileReader
{
    /// <summary>The thread id the profile's samples are put on.</summary>
    public const uint ThreadId = 1;

    /// <summary>Reads the <c>.cpuprofile</c> at <paramref name="path"/>.</summary>
    /// <exception cref="TraceFormatException">The file is not a V8 CPU profile or is damaged; the message says where.</exception>
    public static ExecutionTrace Open(string path, JsonTraceReadOptions? options = null) =>
        JsonTraceReaderShell.Open(path, options, allowMultipleValues: false, ReadDocument);

    /// <summary>Reads a <c>.cpuprofile</c> from <paramref name="stream"/>; <paramref name="sourceName"/> names it in messages.</summary>
    /// <exception cref="TraceFormatException">The content is not a V8 CPU profile or is damaged.</exception>
    public static ExecutionTrace Read(Stream stream, string sourceName, JsonTraceReadOptions? options = null) =>
        JsonTraceReaderShell.Read(stream, sourceName, options, allowMultipleValues: false, ReadDocument);

    private static ExecutionTrace ReadDocument(JsonStream json)
    {
        string path = json.Path;
        if (!json.Read())
            throw new TraceFormatException(path, 0, "the file is empty; expected a V8 CPU profile ({\"nodes\":[…],\"samples\":[…],\"timeDeltas\":[…]}).");
        if (json.TokenType != JsonTokenType.StartObject)
            throw new TraceFormatException(path, json.TokenOffset, "expected a V8 CPU profile: an object with 'nodes', 'samples' and 'timeDeltas'.");
        var profiles = new V8CpuProfiles();
        int profile = profiles.StartCpuProfile(ThreadId, 0);
        bool sawNodes = false;
        double? start = null;
        while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
        {
            string key = json.GetString();
            var value = json.ReadValue(out long offset);
            switch (key)
            {
                case "nodes":
                    using (var nodes = Parse(value, offset, path, key))
                    {
                        if (nodes.RootElement.ValueKind != JsonValueKind.Array)
                            throw new TraceFormatException(path, offset, "'nodes' must be an array of profile nodes.");
                        profiles.AddNodes(profile, nodes.RootElement);
                    }
                    sawNodes = true;
                    break;
                case "samples":
                    using (var samples = Parse(value, offset, path, key))
                        profiles.AddSamples(profile, samples.RootElement);
                    break;
                case "timeDeltas":
                    using (var deltas = Parse(value, offset, path, key))
                        profiles.AddDeltas(profile, deltas.RootElement);
                    break;
                case "startTime" or "endTime":
                    using (var number = Parse(value, offset, path, key))
                    {
                        if (number.RootElement.ValueKind != JsonValueKind.Number || !number.RootElement.TryGetDouble(out double us) || !double.IsFinite(us))
                            throw new TraceFormatException(path, offset, $"'{key}' must be a number of microseconds.");
                        if (key == "startTime")
                            start = us;
                    }
                    break;
                default:
                    break;
            }
        }
        if (!sawNodes)
            throw new TraceFormatException(path, 0, "the JSON object has no 'nodes' array; this is not a V8 CPU profile.");
        profiles.SetStart(profile, start ?? 0);
        var builder = new TraceBuilder();
        builder.AddThread(new ThreadInfo { ThreadId = ThreadId, Name = "main" });
        var warnings = new List<string>();
        var described = new List<SampleProfileInfo>();
        profiles.AddTo(builder, (_, _) => ThreadId, warnings, described);
        if (start is null)
            warnings.Add("the profile has no 'startTime'; sample times count from 0.");
        builder.Metadata = new TraceMetadata
        {
            SourceFormat = "cpuprofile",
            SourcePath = path,
            Producer = "V8 CPU profile",
            CpuSamples = profiles.SampleCount,
            SampleProfiles = described,
            RecordsRead = profiles.SampleCount,
            Warnings = warnings,
        };
        return builder.Build();
    }

    private static JsonDocument Parse(ReadOnlySpan<byte> value, long offset, string path, string key)
    {
        try
        {
            return JsonDocument.Parse(value.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new TraceFormatException(path, offset, $"'{key}' is not valid JSON: {e.Message}", e);
        }
    }
}
