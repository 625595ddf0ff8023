using System.Text;
using System.Text.Json;
using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Formats;
using TraceQuery.Formats.Atf;
using TraceQuery.Formats.Chrome;
using TraceQuery.Formats.Otlp;
using TraceQuery.Formats.Perfetto;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.NetTrace;
using TraceQuery.Protocol;

namespace TraceQuery.Fuzz;

/// <summary>
/// The fuzz targets, driven both by the SharpFuzz harness (<c>fuzz/run.sh</c>) and by the property tests. A
/// target returns how it treated the input when TraceQuery kept its contract — accepted, recovered and
/// reported, or refused with its typed error — and lets anything else escape: another exception type, a
/// malformed response or a canonical form that does not read back is a finding.
/// </summary>
/// <remarks>
/// Adding a reader is one entry in <see cref="All"/> — <c>["name"] = data => TraceStream(data, Reader.Read)</c>, or
/// <see cref="TraceFile"/> for a reader that needs a path — plus its seeds in <see cref="SeedCorpus"/>.
/// </remarks>
public static class FuzzTargets
{
    private static readonly ThreadLocal<string> Scratch = new(() =>
        Path.Combine(Path.GetTempPath(), "tracequery-fuzz", Environment.ProcessId + "-" + Environment.CurrentManagedThreadId));

    private static readonly Lazy<ExecutionTrace> SmallTrace = new(() => TraceGenerator.Generate(400, new TraceGeneratorOptions
    {
        Threads = 2,
        WithDetail = true,
        Anomalies = TraceAnomalies.Crash | TraceAnomalies.Leak,
    }));

    private static readonly Lazy<TraceQueryServer> Server = new(CreateServer);

    /// <summary>Every target by the name <c>fuzz/run.sh</c> takes.</summary>
    public static IReadOnlyDictionary<string, Func<byte[], FuzzOutcome>> All { get; } = new Dictionary<string, Func<byte[], FuzzOutcome>>(StringComparer.Ordinal)
    {
        ["atf"] = AtfSession,
        ["filter"] = Filter,
        ["request"] = Request,
        ["chrome"] = data => TraceStream(data, ChromeTraceReader.Read),
        ["otlp"] = data => TraceStream(data, OtlpJsonReader.Read),
        ["cpuprofile"] = data => TraceStream(data, CpuProfileReader.Read),
        ["perfetto"] = data => TraceStream(data, (stream, name, _) => PerfettoTraceReader.Read(stream, name)),
        ["jsonfile"] = data => TraceFile(data, "trace.json", path => Formats.TraceFile.Open(path, JsonFileOptions)),
        ["nettrace"] = data => TraceFile(data, "trace.nettrace", path => NetTraceFile.Open(path)),
    };

    /// <summary>
    /// Options the <c>jsonfile</c> target (a file opened by content: gzip, a byte order mark, Chrome or OTLP) reads
    /// with: default limits but 64 MiB of decompressed bytes, so an input that inflates far is refused quickly.
    /// </summary>
    public static JsonTraceReadOptions JsonFileOptions => new() { MaxDecompressedBytes = 64L << 20 };

    /// <summary>Options the ATF target reads with: default limits, checksums verified.</summary>
    /// <remarks>
    /// Nothing of TraceQuery runs in this type's static constructor: under afl-fuzz the instrumented library
    /// may run only once SharpFuzz has set up the coverage map.
    /// </remarks>
    public static AtfReadOptions AtfOptions => AtfReadOptions.Default;

    /// <summary>Unpacks an <see cref="AtfBundle"/>, opens it and walks what a query touches.</summary>
    public static FuzzOutcome AtfSession(byte[] data)
    {
        string directory = Path.Combine(Scratch.Value!, "atf");
        AtfBundle.Unpack(data, directory);
        return OpenAndExercise(() => AtfReader.Open(directory, AtfOptions));
    }

    /// <summary>Reads <paramref name="data"/> as a stream with <paramref name="read"/> (the JSON readers) and walks what a query touches.</summary>
    public static FuzzOutcome TraceStream(byte[] data, Func<Stream, string, JsonTraceReadOptions?, ExecutionTrace> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return OpenAndExercise(() => read(new MemoryStream(data, writable: false), "fuzz-input", null));
    }

    /// <summary>Writes <paramref name="data"/> as one file and opens it with <paramref name="open"/> (a reader that needs a path).</summary>
    public static FuzzOutcome TraceFile(byte[] data, string fileName, Func<string, ExecutionTrace> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        string directory = Scratch.Value!;
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, fileName);
        File.WriteAllBytes(path, data);
        return OpenAndExercise(() => open(path));
    }

    /// <summary>
    /// Parses the input as a filter; a filter that parses must format to a canonical text that parses to
    /// itself, and must evaluate on a small trace.
    /// </summary>
    public static FuzzOutcome Filter(byte[] data)
    {
        string text = Encoding.UTF8.GetString(data);
        EventFilter filter;
        try
        {
            filter = EventFilter.Parse(text);
        }
        catch (FilterSyntaxException e)
        {
            CheckFilterError(e, text);
            return FuzzOutcome.Rejected;
        }
        string canonical = filter.Canonical;
        EventFilter again;
        try
        {
            again = EventFilter.Parse(canonical);
        }
        catch (FilterSyntaxException e)
        {
            throw new FuzzFindingException($"the canonical form `{canonical}` of `{text}` does not parse: {e.Message}");
        }
        if (again.Canonical != canonical)
            throw new FuzzFindingException($"the canonical form `{canonical}` of `{text}` reads back as `{again.Canonical}`");
        try
        {
            var selection = filter.Evaluate(SmallTrace.Value);
            if (selection.Count > SmallTrace.Value.EventCount)
                throw new FuzzFindingException($"`{text}` selected {selection.Count} of {SmallTrace.Value.EventCount} events");
        }
        catch (FilterSyntaxException)
        {
            return FuzzOutcome.Rejected; // a regex that timed out on a name
        }
        return FuzzOutcome.Accepted;
    }

    /// <summary>Sends the input to a <see cref="TraceQueryServer"/> and checks the response is well-formed JSON-RPC.</summary>
    public static FuzzOutcome Request(byte[] data)
    {
        string text = Encoding.UTF8.GetString(data);
        string response = Server.Value.HandleRequestAsync(text).GetAwaiter().GetResult();
        return CheckResponse(text, response);
    }

    /// <summary>
    /// Checks one response: empty only for notifications, otherwise a JSON object (or an array of them for a
    /// batch) holding either a success result or an error with an integer code and a message. An internal
    /// error (an exception the server did not expect) is a finding.
    /// </summary>
    public static FuzzOutcome CheckResponse(string request, string response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Length == 0)
            return FuzzOutcome.Accepted; // a notification, or a batch of them
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(response);
        }
        catch (JsonException e)
        {
            throw new FuzzFindingException($"response to {Shorten(request)} is not JSON ({e.Message}): {Shorten(response)}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                if (root.GetArrayLength() == 0)
                    throw new FuzzFindingException($"response to {Shorten(request)} is an empty batch");
                var outcome = FuzzOutcome.Accepted;
                foreach (var item in root.EnumerateArray())
                    outcome = CheckSingle(request, item) == FuzzOutcome.Rejected ? FuzzOutcome.Rejected : outcome;
                return outcome;
            }
            return CheckSingle(request, root);
        }
    }

    private static FuzzOutcome CheckSingle(string request, JsonElement response)
    {
        if (response.ValueKind != JsonValueKind.Object)
            throw new FuzzFindingException($"response to {Shorten(request)} is a {response.ValueKind}, not an object");
        if (response.TryGetProperty("error", out var error))
        {
            if (error.ValueKind != JsonValueKind.Object
                || !error.TryGetProperty("code", out var code) || !code.TryGetInt32(out int number)
                || !error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(message.GetString()))
            {
                throw new FuzzFindingException($"malformed error in the response to {Shorten(request)}: {Shorten(response.GetRawText())}");
            }
            if (number == -32603 && message.GetString()!.StartsWith("Internal error", StringComparison.Ordinal))
                throw new FuzzFindingException($"internal error for {Shorten(request)}: {message.GetString()}");
            return FuzzOutcome.Rejected;
        }
        var result = response.TryGetProperty("result", out var wrapped) ? wrapped : response;
        if (result.ValueKind != JsonValueKind.Object
            || !result.TryGetProperty("status", out var status) || status.GetString() != "success"
            || !result.TryGetProperty("data", out var text) || text.ValueKind != JsonValueKind.String
            || !result.TryGetProperty("tokens_used", out var used) || !used.TryGetInt32(out int tokens)
            || !result.TryGetProperty("token_budget", out var budget) || !budget.TryGetInt32(out int limit))
        {
            throw new FuzzFindingException($"malformed result in the response to {Shorten(request)}: {Shorten(response.GetRawText())}");
        }
        if (tokens > limit)
            throw new FuzzFindingException($"the response to {Shorten(request)} used {tokens} tokens of a budget of {limit}");
        return FuzzOutcome.Accepted;
    }

    private static void CheckFilterError(FilterSyntaxException e, string text)
    {
        if (e.Column < 1 || e.Column > text.Length + 1)
            throw new FuzzFindingException($"the error for `{text}` names column {e.Column}, outside 1..{text.Length + 1}: {e.Message}");
    }

    private static FuzzOutcome OpenAndExercise(Func<ExecutionTrace> open)
    {
        ExecutionTrace trace;
        try
        {
            trace = open();
        }
        catch (TraceFormatException)
        {
            return FuzzOutcome.Rejected;
        }
        using (trace)
        {
            Exercise(trace);
            return trace.WasRecovered || trace.Metadata.Warnings.Count > 0 ? FuzzOutcome.Recovered : FuzzOutcome.Accepted;
        }
    }

    /// <summary>Touches what queries use: every event and its detail, the spans, a filter, the analyses.</summary>
    private static void Exercise(ExecutionTrace trace)
    {
        for (int e = 0; e < trace.EventCount; e++)
        {
            var reference = trace.GetEventRef(e);
            if (!trace.TryGetEventIndex(reference, out int back) || back != e)
                throw new FuzzFindingException($"event {e} is {reference}, which resolves to {back}");
            if (trace.TryGetDetail(e, out var record))
                _ = record.TryGetFunctionDetail();
            _ = trace.GetFunctionName(trace.FunctionOrdinals[e]);
        }
        var spans = trace.Spans;
        for (int s = 0; s < spans.Count; s++)
            _ = spans.Get(s);
        _ = EventFilter.Parse("kind:exception or fn:/^p/").Evaluate(trace);
        var samples = trace.Samples;
        for (int i = 0; i < samples.Count; i++)
        {
            if (i > 0 && samples.TimestampsNs[i] < samples.TimestampsNs[i - 1])
                throw new FuzzFindingException($"sample {i} is earlier than sample {i - 1}");
            if (samples.Stacks[i] >= samples.StackCount || samples.WeightsNs[i] < 0)
                throw new FuzzFindingException($"sample {i} has stack {samples.Stacks[i]} of {samples.StackCount} and weight {samples.WeightsNs[i]}");
        }
        var profile = SampledProfile.Compute(trace, null, SampleFilter.Evaluate(EventFilter.Parse("fn:/^p/ or thread:1"), trace));
        if (profile.CpuNs < 0 || profile.Functions.Any(f => f.SelfNs > f.TotalNs))
            throw new FuzzFindingException("a sampled function's self time exceeds its total time");
        var analyzer = new Analyzer();
        _ = analyzer.Analyze(trace);
        _ = analyzer.ComputeFunctionStats(trace);
    }

    private static TraceQueryServer CreateServer()
    {
        string root = Path.Combine(Path.GetTempPath(), "tracequery-fuzz", Environment.ProcessId + "-server");
        if (!Directory.Exists(Path.Combine(root, "session")))
            AtfWriter.Write(SmallTrace.Value, Path.Combine(root, "session"));
        var server = new TraceQueryServer(new QueryEngine(), new TraceQueryServerOptions
        {
            TraceRoot = root,
            DefaultTrace = "session",
            RequestTimeout = TimeSpan.FromSeconds(10),
            MaxResponseBytes = 64 * 1024,
            MaxTokenBudget = 2_000,
        });
        server.RegisterTrace("memory", SmallTrace.Value);
        server.StartAsync().GetAwaiter().GetResult();
        return server;
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
