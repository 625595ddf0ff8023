using System.Globalization;
using System.Text;
using TraceQuery.Formats.Atf;
using TraceQuery.Formats.Chrome;
using TraceQuery.Formats.Otlp;
using TraceQuery.Generation;

namespace TraceQuery.Fuzz;

/// <summary>Small valid inputs for every target: the fuzzer's starting points and the property tests' originals.</summary>
public static class SeedCorpus
{
    /// <summary>Filters from the README's grammar table and examples.</summary>
    public static IReadOnlyList<string> Filters { get; } =
    [
        "error",
        "kind:exception thread:1",
        "kind:return,exception",
        "fn:parse_* and duration>10ms",
        "fn:/^hash_(file|block)$/ or fn:?ead_block",
        "module:libnet* and not fn:*_poll",
        "module:libstore.so",
        "time:1.5s..2s",
        "time>=10ms && depth<=3",
        "!(detail:yes || depth>3) crash",
        "\"my func\" or fn:\"operator()\"",
        "thread:1,3 depth:1 time<500us",
        "arg.path:*types.ts or arg:*Windows.h*",
        "arg.data.url:\"*a b*\" and not arg:*",
    ];

    /// <summary>One request per method, a batch, a notification, the bare form and camelCase names.</summary>
    public static IReadOnlyList<string> Requests { get; } =
    [
        """{"jsonrpc":"2.0","id":1,"method":"trace.info","params":{"token_budget":300}}""",
        """{"jsonrpc":"2.0","id":2,"method":"trace.query","params":{"trace":"memory","filter":"kind:exception or fn:open_store","projection":"full","limit":5}}""",
        """{"jsonrpc":"2.0","id":"s","method":"narration.summary","params":{"trace":"session","tokenBudget":400,"model":"gpt-4o"}}""",
        """{"jsonrpc":"2.0","id":4,"method":"findings.search","params":{"query":"memory grows when allocating buffers","limit":3}}""",
        """{"jsonrpc":"2.0","id":5,"method":"spans.list","params":{"function":"/^p/","min_duration":"1us","max_duration":1000000,"status":"complete","thread":1,"limit":5}}""",
        """{"jsonrpc":"2.0","id":6,"method":"stats.functionsTopN","params":{"metric":"p95","n":4,"filter":"thread:0"}}""",
        """{"jsonrpc":"2.0","id":7,"method":"events.get","params":{"refs":["event:0:1","span:3","fn:0x05e4df9100000006","event:9:9"],"detail":true}}""",
        """[{"jsonrpc":"2.0","id":8,"method":"trace.info"},{"jsonrpc":"2.0","method":"trace.info"}]""",
        """{"method":"trace.query","params":{"filter":"error","token_budget":2048,"cursor":null}}""",
    ];

    /// <summary>ATF sessions as <see cref="AtfBundle"/>s: with and without detail, two threads, no footer, no manifest.</summary>
    public static IReadOnlyList<byte[]> AtfBundles() => AtfBundlesLazy.Value;

    private static readonly Lazy<IReadOnlyList<byte[]>> AtfBundlesLazy = new(CreateAtfBundles);

    private static List<byte[]> CreateAtfBundles()
    {
        var bundles = new List<byte[]>();
        string root = Path.Combine(Path.GetTempPath(), "tracequery-fuzz", Environment.ProcessId + "-seeds");
        (int Events, int Threads, bool Detail, TraceAnomalies Anomalies)[] shapes =
        [
            (12, 1, true, TraceAnomalies.None),
            (40, 2, false, TraceAnomalies.Crash),
            (30, 1, true, TraceAnomalies.Leak),
        ];
        int n = 0;
        foreach (var (events, threads, detail, anomalies) in shapes)
        {
            string directory = Path.Combine(root, (n++).ToString(CultureInfo.InvariantCulture));
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
            using (var trace = TraceGenerator.Generate(events, new TraceGeneratorOptions { Threads = threads, WithDetail = detail, Anomalies = anomalies, Seed = n }))
                AtfWriter.Write(trace, directory);
            bundles.Add(AtfBundle.Pack(directory));
        }
        // What a killed tracer leaves: the first session without its footers and manifest.
        byte[] first = bundles[0];
        int separator = first.AsSpan().IndexOf(AtfBundle.Separator);
        bundles.Add([.. first.AsSpan(0, separator - 64), .. AtfBundle.Separator, .. first.AsSpan(separator + AtfBundle.Separator.Length, 96)]);
        return bundles;
    }

    /// <summary>Chrome Trace Event files: the writer's output for two generated traces, and the array form with async, instant and metadata events.</summary>
    public static IReadOnlyList<byte[]> ChromeTraces() => ChromeLazy.Value;

    /// <summary>V8 <c>.cpuprofile</c> files: a small tree with children lists, one with parent links, lines and (idle).</summary>
    public static IReadOnlyList<byte[]> CpuProfiles() =>
    [
        Encoding.UTF8.GetBytes("""
            {"nodes":[{"id":1,"callFrame":{"functionName":"(root)","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1},"hitCount":0,"children":[2,4]},
            {"id":2,"callFrame":{"functionName":"main","scriptId":"1","url":"file:///a.js","lineNumber":3,"columnNumber":0},"hitCount":1,"children":[3]},
            {"id":3,"callFrame":{"functionName":"","scriptId":"1","url":"file:///a.js","lineNumber":9,"columnNumber":4},"hitCount":2},
            {"id":4,"callFrame":{"functionName":"(idle)","scriptId":"0","url":"","lineNumber":-1,"columnNumber":-1},"hitCount":1}],
            "startTime":1000,"endTime":1400,"samples":[2,3,3,4],"timeDeltas":[10,100,100.5,100]}
            """),
        Encoding.UTF8.GetBytes("""
            {"nodes":[{"id":1,"callFrame":{"functionName":"(root)"}},{"id":2,"parent":1,"callFrame":{"functionName":"f","url":"x.js"}},
            {"id":3,"parent":2,"callFrame":{"functionName":"g"}}],"startTime":0,"samples":[3,2,3,9],"timeDeltas":[0,-1,5,5]}
            """),
    ];

    /// <summary>OTLP/JSON: the writer's output for two generated traces, as one request and as JSON lines.</summary>
    public static IReadOnlyList<byte[]> OtlpTraces() => OtlpLazy.Value;

    private static readonly Lazy<IReadOnlyList<byte[]>> ChromeLazy = new(() =>
    {
        var seeds = new List<byte[]>(Exported((trace, stream) => ChromeTraceWriter.Write(trace, stream)))
        {
            Encoding.UTF8.GetBytes("""
                [{"name":"thread_name","ph":"M","pid":1,"tid":2,"args":{"name":"main"}},
                {"name":"run","cat":"app","ph":"B","ts":1,"pid":1,"tid":2},
                {"name":"load","ph":"X","ts":1.5,"dur":2.25,"pid":1,"tid":2,"args":{"error":"boom"}},
                {"name":"req","cat":"net","ph":"b","id":"0x1","ts":2,"pid":1,"tid":2},
                {"name":"mark","ph":"i","s":"t","ts":3,"pid":1,"tid":2},
                {"name":"req","cat":"net","ph":"e","id":"0x1","ts":4,"pid":1,"tid":2},
                {"name":"run","cat":"app","ph":"E","ts":5,"pid":1,"tid":2}
                """),
            // Legacy sample records: ph P with sf into a stackFrames dictionary (a parent loop, a missing parent, an unknown
            // id) and with a stack of names.
            Encoding.UTF8.GetBytes("""
                {"stackFrames":{"1":{"name":"main","category":"app.js"},"2":{"name":"parse","category":"v8","parent":"1"},
                "3":{"name":"a","parent":4},"4":{"name":"b","parent":"3"},"5":{"name":"c","parent":"9"},"6":{"name":"(idle)"}},
                "traceEvents":[
                {"name":"sample","ph":"P","ts":1,"pid":1,"tid":2,"sf":2},{"name":"sample","ph":"P","ts":2,"pid":1,"tid":2,"sf":"3"},
                {"name":"sample","ph":"P","ts":3,"pid":1,"tid":2,"sf":5},{"name":"sample","ph":"P","ts":4,"pid":1,"tid":2,"sf":6},
                {"name":"sample","ph":"P","ts":5,"pid":1,"tid":2,"sf":77},{"name":"sample","ph":"P","ts":6,"pid":1,"tid":3,"stack":["main","","x"]}
                ]}
                """),
            // What real producers write: nested args, process names and labels, async b/e/n and legacy S/T/F, flows s/t/f
            // and bind_id, counters, a CPU profile chunk, clang Total rows, string pids.
            Encoding.UTF8.GetBytes("""
                {"beginningOfTime":1,"traceEvents":[
                {"name":"process_name","ph":"M","pid":1,"args":{"name":"Renderer"}},
                {"name":"process_labels","ph":"M","pid":2,"args":{"labels":"GPU 0"}},
                {"name":"thread_name","ph":"M","pid":2,"tid":7,"args":{"name":"stream 7 "}},
                {"name":"Source","ph":"X","ts":1,"dur":9,"pid":1,"tid":2,"args":{"detail":"/usr/include/features.h","data":{"url":"a.js","frames":[1,2,{"x":null}]},"n":1.5e3,"ok":true}},
                {"name":"Total Source","ph":"X","ts":0,"dur":9,"pid":1,"tid":3,"args":{"count":1,"avg ms":9}},
                {"name":"launch","cat":"cuda_runtime","ph":"X","ts":2,"dur":1,"pid":1,"tid":2},
                {"name":"ac2g","cat":"ac2g","ph":"s","id":5,"ts":2.5,"pid":1,"tid":2},
                {"name":"kernel","cat":"kernel","ph":"X","ts":4,"dur":2,"pid":2,"tid":7},
                {"name":"ac2g","cat":"ac2g","ph":"f","id":5,"ts":4,"pid":2,"tid":7,"bp":"e"},
                {"name":"step","ph":"X","ts":3,"dur":1,"pid":1,"tid":2,"bind_id":"0x9","flow_out":true},
                {"name":"next","ph":"X","ts":6,"dur":1,"pid":1,"tid":2,"bind_id":"0x9","flow_in":true},
                {"name":"frame","cat":"cc","ph":"b","id2":{"local":"0x1"},"ts":1,"pid":1,"tid":2},
                {"name":"stage","cat":"cc","ph":"b","id2":{"local":"0x1"},"ts":2,"pid":1,"tid":2,"args":{"step":"draw"}},
                {"name":"tick","cat":"cc","ph":"n","id2":{"local":"0x1"},"ts":3,"pid":1,"tid":2},
                {"name":"stage","cat":"cc","ph":"e","id2":{"local":"0x1"},"ts":4,"pid":1,"tid":2},
                {"name":"frame","cat":"cc","ph":"e","id2":{"local":"0x1"},"ts":5,"pid":1,"tid":9},
                {"name":"Legacy","cat":"x","ph":"S","id":"7","ts":1,"pid":1,"tid":2},
                {"name":"Legacy","cat":"x","ph":"T","id":"7","ts":2,"pid":1,"tid":2,"args":{"step":"s1"}},
                {"name":"Legacy","cat":"x","ph":"F","id":"7","ts":3,"pid":1,"tid":2},
                {"name":"PROMISE","cat":"node","ph":"b","id":"0x2","ts":3,"pid":"Spans","tid":"PyTorch Profiler"},
                {"name":"rejections","ph":"C","ts":4,"pid":1,"tid":2,"args":{"unhandled":1,"handledAfter":0}},
                {"name":"ProfileChunk","ph":"P","id":"0x1","ts":5,"pid":1,"tid":2,"args":{"data":{"cpuProfile":{"nodes":[{"id":1,"callFrame":{"functionName":"a"}}],"samples":[1,1,1]},"timeDeltas":[1,2,3]}}},
                {"name":"snapshot","ph":"O","id":"0x3","ts":6,"pid":1,"tid":2}
                ]}
                """),
        };
        return seeds;
    });

    private static readonly Lazy<IReadOnlyList<byte[]>> OtlpLazy = new(() =>
        [.. Exported((trace, stream) => OtlpJsonWriter.Write(trace, stream)), .. Exported((trace, stream) => OtlpJsonWriter.Write(trace, stream, jsonLines: true)).Take(1),
         Encoding.UTF8.GetBytes(OtlpAsProducersWriteIt), Encoding.UTF8.GetBytes("{\"result\":" + OtlpAsProducersWriteIt + "}")]);

    /// <summary>
    /// OTLP/JSON the way other producers write it: proto field names, base64 ids (padded, unpadded), enum names,
    /// times as numbers and strings, an empty parent, a span event, a link, a log record.
    /// </summary>
    private const string OtlpAsProducersWriteIt = """
        {"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"shop"}}]},"scope_spans":[{"spans":[
        {"trace_id":"AQIDBAUGBwgJCgsMDQ4PEA==","span_id":"ERITFBUWFxg=","parent_span_id":"","name":"GET /cart","kind":"SPAN_KIND_SERVER",
         "start_time_unix_nano":1000,"end_time_unix_nano":"9000","attributes":[{"key":"http.route","value":{"string_value":"/cart"}}],
         "events":[{"time_unix_nano":"2000","name":"cache miss"}],"status":{"code":"STATUS_CODE_ERROR","message":"upstream failed"}},
        {"trace_id":"AQIDBAUGBwgJCgsMDQ4PEA","span_id":"ISIjJCUmJyg","parent_span_id":"ERITFBUWFxg=","name":"SELECT","kind":3,
         "start_time_unix_nano":"3000","end_time_unix_nano":8000,"links":[{"trace_id":"AQIDBAUGBwgJCgsMDQ4PEA==","span_id":"ERITFBUWFxg="}]}]}]}],
        "resource_logs":[{"scope_logs":[{"log_records":[{"time_unix_nano":"4000","severity_number":"SEVERITY_NUMBER_ERROR","body":{"string_value":"db down"},
         "trace_id":"AQIDBAUGBwgJCgsMDQ4PEA==","span_id":"ISIjJCUmJyg="}]}]}]}
        """;

    /// <summary>
    /// Files opened by content (<see cref="FuzzTargets.JsonFileOptions"/>): gzip (one member, two members), a UTF-8 byte
    /// order mark, both inside each other, over Chrome and OTLP seeds.
    /// </summary>
    public static IReadOnlyList<byte[]> JsonFiles() => JsonFilesLazy.Value;

    private static readonly Lazy<IReadOnlyList<byte[]>> JsonFilesLazy = new(() =>
    {
        byte[] chrome = ChromeTraces()[^1], otlp = OtlpTraces()[^2], lines = OtlpTraces()[2];
        byte[] bom = [0xEF, 0xBB, 0xBF];
        int cut = Array.IndexOf(lines, (byte)'\n') + 1;
        return
        [
            chrome,
            [.. bom, .. otlp],
            Gzip(chrome),
            Gzip([.. bom, .. otlp]),
            [.. Gzip(lines[..cut]), .. Gzip(lines[cut..])],
        ];
    });

    /// <summary>
    /// The <c>.nettrace</c> recordings committed as test fixtures (<c>tests/TraceQuery.Tests/Fixtures/nettrace</c>), found
    /// beside the running assembly (the test output copies them) or by walking up to the repository.
    /// </summary>
    public static IReadOnlyList<byte[]> NetTraces() => NetTracesLazy.Value;

    private static readonly Lazy<IReadOnlyList<byte[]>> NetTracesLazy = new(() =>
    {
        string[] names = ["hotloop.nettrace", "asyncwork.nettrace"];
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            foreach (string candidate in new[] { Path.Combine(directory.FullName, "Fixtures", "nettrace"), Path.Combine(directory.FullName, "tests", "TraceQuery.Tests", "Fixtures", "nettrace") })
            {
                if (names.All(n => File.Exists(Path.Combine(candidate, n))))
                    return [.. names.Select(n => File.ReadAllBytes(Path.Combine(candidate, n)))];
            }
        }
        throw new FileNotFoundException("the .nettrace fixtures (tests/TraceQuery.Tests/Fixtures/nettrace) were not found above " + AppContext.BaseDirectory);
    });

    private static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(content);
        return output.ToArray();
    }

    private static List<byte[]> Exported(Action<Model.ExecutionTrace, Stream> write)
    {
        var seeds = new List<byte[]>();
        foreach (var (events, anomalies) in new[] { (16, TraceAnomalies.None), (40, TraceAnomalies.Crash) })
        {
            using var trace = TraceGenerator.Generate(events, new TraceGeneratorOptions { Threads = 2, Anomalies = anomalies, Seed = events });
            using var buffer = new MemoryStream();
            write(trace, buffer);
            seeds.Add(buffer.ToArray());
        }
        return seeds;
    }

    /// <summary>Perfetto protobuf traces: every mapped feature in one trace, and a trace of one packet with no payload.</summary>
    public static IReadOnlyList<byte[]> PerfettoTraces() => [PerfettoSeeds.Features(), PerfettoSeeds.Trace(PerfettoSeeds.New().Varint(10, 1))];

    /// <summary>The seeds of one target (the names of <see cref="FuzzTargets.All"/>).</summary>
    public static IReadOnlyList<byte[]> Inputs(string target) => target switch
    {
        "atf" => AtfBundles(),
        "filter" => [.. Filters.Select(Encoding.UTF8.GetBytes)],
        "request" => [.. Requests.Select(Encoding.UTF8.GetBytes)],
        "chrome" => ChromeTraces(),
        "otlp" => OtlpTraces(),
        "cpuprofile" => CpuProfiles(),
        "jsonfile" => JsonFiles(),
        "nettrace" => NetTraces(),
        "perfetto" => PerfettoTraces(),
        _ => throw new ArgumentException($"no seeds for target '{target}'", nameof(target)),
    };

    /// <summary>Writes every target's seeds to <c>directory/&lt;target&gt;/</c>.</summary>
    public static void Write(string directory)
    {
        foreach (string target in FuzzTargets.All.Keys)
            Save(Path.Combine(directory, target), Inputs(target));
    }

    private static void Save(string directory, IReadOnlyList<byte[]> inputs)
    {
        Directory.CreateDirectory(directory);
        for (int i = 0; i < inputs.Count; i++)
            File.WriteAllBytes(Path.Combine(directory, "seed-" + i.ToString("00", CultureInfo.InvariantCulture)), inputs[i]);
    }
}
