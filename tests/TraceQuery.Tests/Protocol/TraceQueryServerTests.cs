using System.Text;
using System.Text.Json;
using TraceQuery.Analysis;
using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Protocol;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Protocol;

[TestClass]
public sealed class TraceQueryServerTests
{
    private static readonly QueryEngine Engine = new(tokenCounter: new TokenCounter("gpt-4o"));
    private static readonly Lazy<string> Root = new(CreateRoot);

    /// <summary>A trace root with two sessions: the crash golden trace and a small clean one.</summary>
    private static string CreateRoot()
    {
        string root = TestPaths.NewTempDirectory("server-root");
        using (var crash = TraceGenerator.Generate(6_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.Crash | TraceAnomalies.Leak, WithDetail = true }))
            AtfWriter.Write(crash, Path.Combine(root, "crash"));
        using (var clean = TraceGenerator.Generate(2_000))
            AtfWriter.Write(clean, Path.Combine(root, "sub", "clean"));
        return root;
    }

    private static async Task<TraceQueryServer> StartAsync(TraceQueryServerOptions? options = null)
    {
        var server = new TraceQueryServer(queryEngine: Engine, options ?? new TraceQueryServerOptions { TraceRoot = Root.Value });
        await server.StartAsync();
        return server;
    }

    private static JsonElement Parse(string response) => JsonDocument.Parse(response).RootElement.Clone();

    [TestMethod]
    public async Task TraceQuery_ErrorFilterWithBudget_ThenSuccessWithinBudget()
    {
        // The seed's MCP scenario, with the crash session as the server's only trace.
        using var crash = TraceGenerator.Generate(6_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.Crash });
        var engine = new QueryEngine();
        await using var server = new TraceQueryServer(queryEngine: engine, new TraceQueryServerOptions());
        server.RegisterTrace("crash", crash);
        await server.StartAsync();
        var response = Parse(await server.HandleRequestAsync("""{"method":"trace.query","params":{"filter":"error","token_budget":2048}}"""));
        Assert.AreEqual("success", response.GetProperty("status").GetString());
        Assert.AreNotEqual("", response.GetProperty("data").GetString());
        Assert.IsTrue(response.GetProperty("tokens_used").GetInt32() <= 2048);
        StringAssert.Contains(response.GetProperty("data").GetString(), "EXCEPTION parse_header");
        await server.ShutdownAsync();
    }

    [TestMethod]
    public async Task EveryMethod_OnGoldenTrace_ThenResponsesMatchSnapshot()
    {
        await using var server = await StartAsync();
        string[] requests =
        [
            """{"jsonrpc":"2.0","id":1,"method":"trace.info","params":{"trace":"crash","token_budget":600}}""",
            """{"jsonrpc":"2.0","id":2,"method":"trace.query","params":{"trace":"crash","filter":"kind:exception or fn:open_store","projection":"full","token_budget":400}}""",
            """{"jsonrpc":"2.0","id":"s","method":"narration.summary","params":{"trace":"crash","tokenBudget":500}}""",
            """{"jsonrpc":"2.0","id":4,"method":"findings.search","params":{"trace":"crash","query":"memory grows when allocating buffers","token_budget":400}}""",
            """{"jsonrpc":"2.0","id":5,"method":"spans.list","params":{"trace":"crash","function":"open_*","min_duration":"1us","limit":5,"token_budget":400}}""",
            """{"jsonrpc":"2.0","id":6,"method":"stats.functionsTopN","params":{"trace":"crash","metric":"p95","n":4,"token_budget":400}}""",
            """{"jsonrpc":"2.0","id":7,"method":"events.get","params":{"trace":"crash","refs":["event:0:1","span:3","fn:0x05e4df9100000006","event:9:9"],"token_budget":600}}""",
            """{"jsonrpc":"2.0","id":8,"method":"search.scoped","params":{"trace":"crash","anchor":"span:3","back":"2us","ahead":"1us","token_budget":500}}""",
            """{"jsonrpc":"2.0","id":9,"method":"plan.keySymbols","params":{"trace":"crash","symptom":"crash while parsing the header","hints":{"modules":["libstore"]},"top_k":4,"token_budget":400}}""",
        ];
        var text = new StringBuilder();
        foreach (string request in requests)
        {
            string response = await server.HandleRequestAsync(request);
            var parsed = Parse(response);
            Assert.AreEqual("success", parsed.GetProperty("result").GetProperty("status").GetString(), response);
            text.Append("> ").Append(request).Append('\n').Append(parsed.GetProperty("result").GetProperty("data").GetString()).Append('\n');
        }
        Snapshot.Verify(text.ToString());
    }

    [TestMethod]
    public async Task Findings_Search_ThenBoostsNameMatches()
    {
        await using var server = await StartAsync();
        var response = Parse(await server.HandleRequestAsync("""{"method":"findings.search","params":{"trace":"crash","query":"crash while parsing the header"}}"""));
        string data = response.GetProperty("data").GetString()!;
        var firstFinding = data.Split('\n').First(l => l.StartsWith("- [", StringComparison.Ordinal));
        StringAssert.Contains(firstFinding, "parse_header");
    }

    [TestMethod]
    [DataRow("{not json", -32700)]
    [DataRow("42", -32600)]
    [DataRow("""{"jsonrpc":"1.0","id":1,"method":"trace.info"}""", -32600)]
    [DataRow("""{"jsonrpc":"2.0","id":1}""", -32600)]
    [DataRow("""{"jsonrpc":"2.0","id":{"a":1},"method":"trace.info"}""", -32600)]
    [DataRow("[]", -32600)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"trace.explode"}""", -32601)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"trace.info","params":[1,2]}""", -32602)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"trace.info","params":{"trace":"crash","token_budget":"lots"}}""", -32602)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"trace.query","params":{"trace":"crash","filter":"(kind:call and)"}}""", -32602)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"trace.query","params":{"trace":"crash","token_budget":5}}""", -32602)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"trace.query","params":{"trace":"nope"}}""", -32602)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"narration.summary","params":{"trace":"crash","cursor":"tq1.AAAAAAAAAAAAAAAA"}}""", -32602)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"stats.functionsTopN","params":{"trace":"crash","metric":"median"}}""", -32602)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"narration.summary","params":{"trace":"crash","model":"gpt-17"}}""", -32602)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"search.scoped","params":{"trace":"crash"}}""", -32602)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"search.scoped","params":{"trace":"crash","anchor":"span:99999999"}}""", -32602)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"search.scoped","params":{"trace":"crash","anchor":"span:1","back":"soon"}}""", -32602)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"plan.keySymbols","params":{"trace":"crash"}}""", -32602)]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"plan.keySymbols","params":{"trace":"crash","symptom":"x","hints":[1]}}""", -32602)]
    public async Task BadRequest_ThenJsonRpcErrorWithStatus(string request, int code)
    {
        await using var server = await StartAsync();
        var response = Parse(await server.HandleRequestAsync(request));
        var error = response.GetProperty("error");
        Assert.AreEqual(code, error.GetProperty("code").GetInt32(), response.ToString());
        Assert.AreEqual("error", error.GetProperty("data").GetProperty("status").GetString());
        Assert.IsTrue(error.GetProperty("message").GetString()!.Length > 10);
        if (code == -32601)
            StringAssert.Contains(error.GetProperty("message").GetString(), "narration.summary");
    }

    [TestMethod]
    public async Task ErrorMessages_ThenMatchSnapshot()
    {
        await using var server = await StartAsync();
        string[] requests =
        [
            "{not json",
            """{"method":"trace.explode"}""",
            """{"method":"trace.query","params":{"trace":"crash","filter":"(kind:call and)"}}""",
            """{"method":"trace.query","params":{"trace":"crash","token_budget":5}}""",
            """{"method":"trace.info","params":{"trace":"../etc"}}""",
            """{"method":"spans.list","params":{"trace":"crash","min_duration":"soon"}}""",
            """{"method":"search.scoped","params":{"trace":"crash","anchor":"event:9:9"}}""",
            """{"method":"plan.keySymbols","params":{"trace":"crash","symptom":" "}}""",
        ];
        var text = new StringBuilder();
        foreach (string request in requests)
            text.Append(request).Append(" → ").Append(await server.HandleRequestAsync(request)).Append('\n');
        Snapshot.Verify(text.ToString());
    }

    [TestMethod]
    [DataRow("../crash")]
    [DataRow("sub/../../crash")]
    [DataRow("/etc")]
    [DataRow("~/x")]
    public async Task Trace_EscapingRoot_ThenRefused(string name)
    {
        await using var server = await StartAsync();
        string request = JsonSerializer.Serialize(new Dictionary<string, object> { ["method"] = "trace.info", ["params"] = new Dictionary<string, string> { ["trace"] = name } });
        var response = Parse(await server.HandleRequestAsync(request));
        Assert.AreEqual("error", response.GetProperty("status").GetString());
        Assert.AreEqual(-32602, response.GetProperty("error").GetProperty("code").GetInt32());
        Assert.AreEqual("trace", response.GetProperty("error").GetProperty("data").GetProperty("parameter").GetString());
    }

    [TestMethod]
    public async Task Trace_Corrupt_ThenTraceErrorNamingFileAndOffset()
    {
        string root = TestPaths.NewTempDirectory("corrupt-root");
        using (var trace = TraceGenerator.Generate(200, new TraceGeneratorOptions { Threads = 1 }))
            AtfWriter.Write(trace, Path.Combine(root, "bad"));
        AtfFiles.Patch(AtfFiles.IndexPath(Path.Combine(root, "bad"), 0), 0, "XXXX"u8);
        await using var server = await StartAsync(new TraceQueryServerOptions { TraceRoot = root });
        var response = Parse(await server.HandleRequestAsync("""{"method":"trace.info","params":{"trace":"bad"}}"""));
        Assert.AreEqual(-32000, response.GetProperty("error").GetProperty("code").GetInt32());
        StringAssert.Contains(response.GetProperty("error").GetProperty("message").GetString(), "index.atf at byte 0: wrong magic");
    }

    /// <summary>A token counter that holds the first request inside the server until the test lets it go.</summary>
    private sealed class GateCounter : TraceQuery.Text.ITokenCounter
    {
        private readonly TokenCounter _inner = new("gpt-4o");
        public readonly SemaphoreSlim Entered = new(0);
        public readonly ManualResetEventSlim Release = new(false);
        private int _armed = 1;

        public string Model => _inner.Model;

        public int CountTokens(string text)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Entered.Release();
                Release.Wait(TimeSpan.FromSeconds(30));
            }
            return _inner.CountTokens(text);
        }

        public int GetPrefixLengthWithinTokens(string text, int maxTokens, out int tokenCount) =>
            _inner.GetPrefixLengthWithinTokens(text, maxTokens, out tokenCount);
    }

    [TestMethod]
    public async Task Requests_OverConcurrencyLimit_ThenBusyErrorAndLaterServed()
    {
        var gate = new GateCounter();
        using var trace = TraceGenerator.Generate(2_000);
        await using var server = new TraceQueryServer(new QueryEngine(tokenCounter: gate), new TraceQueryServerOptions { MaxConcurrentRequests = 1 });
        server.RegisterTrace("t", trace);
        await server.StartAsync();
        const string Request = """{"method":"narration.summary","params":{"trace":"t","token_budget":300}}""";
        var first = Task.Run(() => server.HandleRequestAsync(Request));
        Assert.IsTrue(await gate.Entered.WaitAsync(TimeSpan.FromSeconds(30)), "the first request reached the tokenizer");

        var busy = Parse(await server.HandleRequestAsync(Request));
        Assert.AreEqual(-32001, busy.GetProperty("error").GetProperty("code").GetInt32());
        StringAssert.Contains(busy.GetProperty("error").GetProperty("message").GetString(), "Server busy");

        gate.Release.Set();
        Assert.AreEqual("success", Parse(await first).GetProperty("status").GetString());
        Assert.AreEqual("success", Parse(await server.HandleRequestAsync(Request)).GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task Trace_SymlinkOutOfRoot_ThenRefused()
    {
        string root = TestPaths.NewTempDirectory("link-root");
        string outside = TestPaths.NewTempDirectory("outside");
        using (var trace = TraceGenerator.Generate(100))
            AtfWriter.Write(trace, Path.Combine(outside, "s"));
        Directory.CreateSymbolicLink(Path.Combine(root, "escape"), outside);
        await using var server = await StartAsync(new TraceQueryServerOptions { TraceRoot = root });
        var response = Parse(await server.HandleRequestAsync("""{"method":"trace.info","params":{"trace":"escape/s"}}"""));
        Assert.AreEqual(-32602, response.GetProperty("error").GetProperty("code").GetInt32());
        StringAssert.Contains(response.GetProperty("error").GetProperty("message").GetString(), "through a link");
    }

    [TestMethod]
    public async Task Response_OverSizeLimit_ThenErrorAndServerKeepsServing()
    {
        await using var server = await StartAsync(new TraceQueryServerOptions { TraceRoot = Root.Value, MaxResponseBytes = 2_000 });
        var response = Parse(await server.HandleRequestAsync("""{"method":"narration.summary","params":{"trace":"crash","token_budget":4000}}"""));
        Assert.AreEqual(-32003, response.GetProperty("error").GetProperty("code").GetInt32());
        var small = Parse(await server.HandleRequestAsync("""{"method":"trace.query","params":{"trace":"crash","filter":"kind:exception","token_budget":100}}"""));
        Assert.AreEqual("success", small.GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task Request_OverTimeLimit_ThenTimeoutError()
    {
        // The request is held inside the tokenizer well past the 20 ms limit.
        var gate = new GateCounter();
        using var trace = TraceGenerator.Generate(2_000);
        await using var server = new TraceQueryServer(new QueryEngine(tokenCounter: gate), new TraceQueryServerOptions { RequestTimeout = TimeSpan.FromMilliseconds(20) });
        server.RegisterTrace("t", trace);
        await server.StartAsync();
        var pending = Task.Run(() => server.HandleRequestAsync("""{"method":"narration.summary","params":{"trace":"t"}}"""));
        // On a loaded machine the analysis alone may outlast 20 ms, and the request then times out before it
        // reaches the gate: either way the answer must be the timeout error.
        await Task.WhenAny(gate.Entered.WaitAsync(TimeSpan.FromSeconds(30)), pending);
        await Task.Delay(100);
        gate.Release.Set();
        var response = Parse(await pending);
        Assert.AreEqual(-32002, response.GetProperty("error").GetProperty("code").GetInt32());
        StringAssert.Contains(response.GetProperty("error").GetProperty("message").GetString(), "took longer than");
    }

    [TestMethod]
    public async Task Request_CancelledByCaller_ThenCancelledError()
    {
        await using var server = await StartAsync();
        using var source = new CancellationTokenSource();
        await source.CancelAsync();
        var response = Parse(await server.HandleRequestAsync("""{"jsonrpc":"2.0","id":9,"method":"narration.summary","params":{"trace":"crash"}}""", source.Token));
        Assert.AreEqual(-32800, response.GetProperty("error").GetProperty("code").GetInt32());
        Assert.AreEqual(9, response.GetProperty("id").GetInt32());
    }

    [TestMethod]
    public async Task Request_CancelledMidway_ThenCancelledErrorAndServerKeepsServing()
    {
        var gate = new GateCounter();
        using var trace = TraceGenerator.Generate(2_000);
        await using var server = new TraceQueryServer(new QueryEngine(tokenCounter: gate), new TraceQueryServerOptions());
        server.RegisterTrace("t", trace);
        await server.StartAsync();
        using var source = new CancellationTokenSource();
        var pending = Task.Run(() => server.HandleRequestAsync("""{"jsonrpc":"2.0","id":3,"method":"narration.summary","params":{"trace":"t"}}""", source.Token));
        Assert.IsTrue(await gate.Entered.WaitAsync(TimeSpan.FromSeconds(30)), "the request is in progress");
        await source.CancelAsync();
        gate.Release.Set();
        var response = Parse(await pending);
        Assert.AreEqual(-32800, response.GetProperty("error").GetProperty("code").GetInt32());
        Assert.AreEqual(3, response.GetProperty("id").GetInt32());
        var next = Parse(await server.HandleRequestAsync("""{"method":"trace.info","params":{"trace":"t","token_budget":300}}"""));
        Assert.AreEqual("success", next.GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task SixtyFourConcurrentRequests_ThenSameAnswersAsSequential()
    {
        await using var server = await StartAsync(new TraceQueryServerOptions { TraceRoot = Root.Value, MaxConcurrentRequests = 64 });
        string[] requests =
        [
            """{"method":"narration.summary","params":{"trace":"crash","token_budget":700}}""",
            """{"method":"trace.query","params":{"trace":"sub/clean","filter":"fn:parse_*","token_budget":300}}""",
            """{"method":"stats.functionsTopN","params":{"trace":"crash","metric":"self"}}""",
            """{"method":"spans.list","params":{"trace":"sub/clean","status":"complete","limit":20}}""",
        ];
        var sequential = new List<string>();
        foreach (string r in requests)
            sequential.Add(await server.HandleRequestAsync(r));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => server.HandleRequestAsync(requests[i % requests.Length]))));
        for (int i = 0; i < concurrent.Length; i++)
            Assert.AreEqual(sequential[i % requests.Length], concurrent[i], $"request {i}");
        Assert.AreEqual(2, server.CachedTraceCount);
    }

    [TestMethod]
    public async Task Batch_AndNotification_ThenOnlyRequestsAnswered()
    {
        await using var server = await StartAsync();
        string batch = """[{"jsonrpc":"2.0","id":1,"method":"trace.info","params":{"trace":"crash","token_budget":200}},{"jsonrpc":"2.0","method":"trace.info","params":{"trace":"crash"}},{"jsonrpc":"2.0","id":2,"method":"nope"}]""";
        var response = Parse(await server.HandleRequestAsync(batch));
        Assert.AreEqual(JsonValueKind.Array, response.ValueKind);
        Assert.AreEqual(2, response.GetArrayLength());
        Assert.AreEqual(1, response[0].GetProperty("id").GetInt32());
        Assert.AreEqual(-32601, response[1].GetProperty("error").GetProperty("code").GetInt32());
        Assert.AreEqual("", await server.HandleRequestAsync("""{"jsonrpc":"2.0","method":"trace.info","params":{"trace":"crash"}}"""));
    }

    [TestMethod]
    public async Task Stream_MalformedLineThenGoodLine_ThenBothAnswered()
    {
        await using var server = await StartAsync();
        var input = new MemoryStream(Encoding.UTF8.GetBytes("{oops\n" + """{"jsonrpc":"2.0","id":"a","method":"trace.info","params":{"trace":"crash","token_budget":300}}""" + "\n"));
        var output = new MemoryStream();
        await server.RunAsync(input, output);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual(2, lines.Length);
        Assert.AreEqual(-32700, Parse(lines[0]).GetProperty("error").GetProperty("code").GetInt32());
        Assert.AreEqual("success", Parse(lines[1]).GetProperty("result").GetProperty("status").GetString());
    }

    [TestMethod]
    public async Task Budget_AboveServerMaximum_ThenClampedAndSaid()
    {
        await using var server = await StartAsync(new TraceQueryServerOptions { TraceRoot = Root.Value, MaxTokenBudget = 1_000 });
        var response = Parse(await server.HandleRequestAsync("""{"method":"narration.summary","params":{"trace":"crash","token_budget":50000}}"""));
        Assert.AreEqual(1_000, response.GetProperty("token_budget").GetInt32());
        StringAssert.Contains(response.GetProperty("budget_note").GetString(), "clamped");
        Assert.IsTrue(response.GetProperty("tokens_used").GetInt32() <= 1_000);
    }

    [TestMethod]
    public async Task Paging_ThroughServer_ThenCursorContinues()
    {
        await using var server = await StartAsync();
        var first = Parse(await server.HandleRequestAsync("""{"method":"trace.query","params":{"trace":"crash","filter":"fn:buffer_*","token_budget":200}}"""));
        string cursor = first.GetProperty("next_cursor").GetString()!;
        var second = Parse(await server.HandleRequestAsync(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["method"] = "trace.query",
            ["params"] = new Dictionary<string, object> { ["trace"] = "crash", ["filter"] = "fn:buffer_*", ["token_budget"] = 200, ["cursor"] = cursor },
        })));
        Assert.AreEqual("success", second.GetProperty("status").GetString());
        Assert.AreNotEqual(first.GetProperty("data").GetString(), second.GetProperty("data").GetString());
    }

    [TestMethod]
    public async Task NotStarted_ThenRefused()
    {
        await using var server = new TraceQueryServer(Engine, new TraceQueryServerOptions { TraceRoot = Root.Value });
        var response = Parse(await server.HandleRequestAsync("""{"method":"trace.info","params":{"trace":"crash"}}"""));
        StringAssert.Contains(response.GetProperty("error").GetProperty("message").GetString(), "not been started");
    }
}
