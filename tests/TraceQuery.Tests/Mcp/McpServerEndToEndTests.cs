using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TraceQuery.Cli;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Mcp;

/// <summary>
/// Starts the built <c>tracequery mcp</c> (TraceQuery.Cli.dll next to this assembly) once for the class and talks
/// to it over stdio with the MCP SDK's own client, as Claude Desktop or VS Code would.
/// </summary>
[TestClass]
public sealed partial class McpServerEndToEndTests
{
    private static readonly TokenCounter Counter = new("gpt-4o");
    private static readonly ConcurrentQueue<string> ServerErrorLines = new();
    private static string _root = "";
    private static McpClient? _client;

    private static McpClient Client => _client ?? throw new InvalidOperationException("The MCP server did not start.");

    [ClassInitialize]
    public static async Task StartServerAsync(TestContext context)
    {
        // A root holding a copy of the bundled sample session, so the server sees exactly one session.
        _root = TestPaths.NewTempDirectory("mcp-root");
        CopyDirectory(Path.Combine(TestPaths.RepositoryRoot, "samples", "indexer"), Path.Combine(_root, "indexer"));
        string cli = Path.Combine(AppContext.BaseDirectory, "TraceQuery.Cli.dll");
        Assert.IsTrue(File.Exists(cli), "TraceQuery.Cli.dll is not next to the test assembly: " + cli);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "tracequery",
            Command = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            Arguments = [cli, "mcp", "--root", _root],
            StandardErrorLines = ServerErrorLines.Enqueue,
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
    }

    [ClassCleanup]
    public static async Task StopServerAsync()
    {
        if (_client is not null)
            await _client.DisposeAsync();
    }

    [TestMethod]
    public async Task ListTools_ThenElevenReadOnlyToolsMatchSnapshot()
    {
        var tools = await Client.ListToolsAsync();
        string[] expected = ["trace_info", "trace_query", "trace_summary", "find_findings", "list_spans", "top_functions", "get_events", "search_around", "plan_key_symbols", "fleet_summary", "diff_runs"];
        CollectionAssert.AreEquivalent(expected, tools.Select(t => t.Name).ToArray());
        var text = new StringBuilder();
        string? outputSchema = null;
        foreach (var tool in tools.OrderBy(t => Array.IndexOf(expected, t.Name)))
        {
            var protocol = tool.ProtocolTool;
            // Every major model API accepts these names: letters, digits and underscores, at most 64.
            Assert.IsTrue(ToolName().IsMatch(protocol.Name), protocol.Name);
            Assert.IsTrue(protocol.Annotations is { ReadOnlyHint: true, IdempotentHint: true, DestructiveHint: false, OpenWorldHint: false }, protocol.Name);
            text.Append("## ").Append(protocol.Name).Append(" — ").Append(protocol.Title).Append('\n')
                .Append(protocol.Description).Append('\n')
                .Append(Indented(protocol.InputSchema)).Append("\n\n");
            // Every tool declares the same output schema: the answer's metadata beside the text.
            Assert.IsNotNull(protocol.OutputSchema, protocol.Name);
            string schema = Indented(protocol.OutputSchema.Value);
            Assert.AreEqual(outputSchema ?? schema, schema, protocol.Name);
            outputSchema = schema;
        }
        text.Append("## outputSchema (every tool)\n").Append(outputSchema).Append('\n');
        Snapshot.Verify(text.ToString());
    }

    [TestMethod]
    public async Task Resources_ListAndRead_ThenTraceInfoAndResolvedReferences()
    {
        var resources = await Client.ListResourcesAsync();
        var indexer = resources.Single().ProtocolResource;
        Assert.AreEqual("trace://indexer", indexer.Uri);
        Assert.AreEqual("atf", indexer.Meta!["format"]!.GetValue<string>());
        StringAssert.StartsWith(indexer.Description, "ATF session, ");
        var templates = await Client.ListResourceTemplatesAsync();
        CollectionAssert.AreEqual(new[] { "trace://{+trace}/event/{thread}/{seq}", "trace://{+trace}/span/{id}", "trace://{+trace}" },
            templates.Select(t => t.UriTemplate).ToArray());

        // Reading the trace gives trace_info's text; reading an evidence reference gives get_events' text.
        string info = ((TextResourceContents)(await Client.ReadResourceAsync("trace://indexer")).Contents.Single()).Text;
        Assert.AreEqual(SingleText(await CallAsync("trace_info", new() { ["trace"] = "indexer" })), info);
        string crash = ((TextResourceContents)(await Client.ReadResourceAsync("trace://indexer/event/1/601")).Contents.Single()).Text;
        StringAssert.Contains(crash, "event:1:601");
        StringAssert.Contains(crash, "parse_header");
        var missing = await Assert.ThrowsAsync<ModelContextProtocol.McpException>(() => Client.ReadResourceAsync("trace://nothing-here").AsTask());
        StringAssert.Contains(missing.Message, "'nothing-here' does not exist under the server's trace root");
    }

    [TestMethod]
    public async Task FleetSummaryAndDiffRuns_OverTheRoot_ThenAnswersWithinBudget()
    {
        var fleet = await CallAsync("fleet_summary", new() { ["token_budget"] = 1500 });
        string text = SingleText(fleet);
        // The budget covers the text and the structured content together.
        int used = Structured(fleet).GetProperty("tokens_used").GetInt32();
        Assert.IsTrue(used <= 1500, $"{used} tokens");
        Assert.IsTrue(Counter.CountTokens(text) < used);
        StringAssert.StartsWith(text, "# Fleet of 1 trace in ");
        StringAssert.Contains(text, "- [critical] crash in parse_header (indexer): 1 of 1 runs; first in indexer: ");
        StringAssert.Contains(text, "· trace:indexer event:1:601");

        var diff = SingleText(await CallAsync("diff_runs", new() { ["baseline"] = "indexer", ["candidate"] = "indexer", ["token_budget"] = 1500 }));
        StringAssert.StartsWith(diff, "# Diff of indexer (");
        StringAssert.Contains(diff, "0 functions changed (0 slower or busier, 0 faster or calmer), 0 new errors, 0 errors gone");
    }

    [TestMethod]
    public void Initialize_ThenInstructionsNameTheSessions()
    {
        Assert.AreEqual("tracequery", Client.ServerInfo?.Name);
        StringAssert.Contains(Client.ServerInstructions ?? "", "Sessions under the root at startup (pass one as trace): indexer.");
    }

    [TestMethod]
    [DataRow(128)]
    [DataRow(300)]
    [DataRow(4096)]
    public async Task TraceSummary_WithBudget_ThenTextWithinBudgetAndCountedExactly(int budget)
    {
        var result = await CallAsync("trace_summary", new() { ["trace"] = "indexer", ["token_budget"] = budget });
        string text = SingleText(result);
        var meta = Structured(result);
        // The budget covers what the client receives: the text and the structured content, each counted.
        int tokens = Counter.CountTokens(text) + Counter.CountTokens(Compact(meta));
        Assert.IsTrue(tokens <= budget, $"{tokens} tokens for a budget of {budget}");
        Assert.AreEqual(tokens, meta.GetProperty("tokens_used").GetInt32(), "tokens_used counts exactly the text and the structured content");
        Assert.AreEqual(budget, meta.GetProperty("token_budget").GetInt32());
        StringAssert.StartsWith(text, "# Trace indexer: 4,000 events");
        if (meta.GetProperty("did_truncate").GetBoolean())
            StringAssert.Contains(text, meta.GetProperty("next_cursor").GetString()!);
    }

    [TestMethod]
    public async Task TraceSummary_WithCursor_ThenNextPageWithinBudget()
    {
        var first = await CallAsync("trace_summary", new() { ["trace"] = "indexer", ["token_budget"] = 200 });
        string cursor = Structured(first).GetProperty("next_cursor").GetString()!;
        var second = await CallAsync("trace_summary", new() { ["trace"] = "indexer", ["token_budget"] = 200, ["cursor"] = cursor });
        string text = SingleText(second);
        Assert.IsTrue(Counter.CountTokens(text) <= 200);
        Assert.AreNotEqual(SingleText(first), text);
    }

    [TestMethod]
    public async Task TraceQuery_ErrorFilter_ThenCrashWithinBudgetAndSameAsCli()
    {
        var result = await CallAsync("trace_query", new() { ["trace"] = "indexer", ["filter"] = "error", ["token_budget"] = 2048 });
        string text = SingleText(result);
        Assert.IsTrue(Counter.CountTokens(text) <= 2048);
        StringAssert.Contains(text, "event:1:601 EXCEPTION parse_header");

        // The command line goes through the same server method: same text, byte for byte.
        var output = new StringWriter();
        int exit = CliApp.Run(["query", Path.Combine(_root, "indexer"), "--filter", "error", "--budget", "2048"], output, new StringWriter());
        Assert.AreEqual(0, exit);
        Assert.AreEqual(text.TrimEnd('\n') + "\n", output.ToString());
    }

    [TestMethod]
    public async Task SearchAround_AtCrash_ThenNeighbourhoodAndExemplarsResolveWithGetEvents()
    {
        var result = await CallAsync("search_around", new() { ["trace"] = "indexer", ["anchor"] = "event:1:601", ["back"] = "40us", ["token_budget"] = 3000 });
        string text = SingleText(result);
        Assert.IsTrue(Counter.CountTokens(text) <= 3000);
        Assert.AreEqual(Counter.CountTokens(text) + Counter.CountTokens(Compact(Structured(result))), Structured(result).GetProperty("tokens_used").GetInt32());
        StringAssert.StartsWith(text, "# Around event:1:601 (EXCEPTION parse_header on thread 1");
        StringAssert.Contains(text, "- [anchor] ±0 event:1:601 EXCEPTION parse_header");
        // Every span reference in the answer (returns and folded exemplars) resolves.
        var spans = SpanRef().Matches(text).Select(m => m.Value).Distinct().Take(50).ToArray();
        Assert.IsTrue(spans.Length > 5, text);
        var resolved = SingleText(await CallAsync("get_events", new() { ["trace"] = "indexer", ["refs"] = spans }));
        foreach (string span in spans)
            StringAssert.Contains(resolved, "- " + span + " ");
        Assert.IsFalse(resolved.Contains("no such", StringComparison.Ordinal));
    }

    [TestMethod]
    public async Task PlanKeySymbols_Symptom_ThenCulpritFirstWithDecodableSet()
    {
        var result = await CallAsync("plan_key_symbols", new() { ["trace"] = "indexer", ["symptom"] = "hang waiting for a lock", ["top_k"] = 3, ["modules"] = new[] { "libstore" } });
        string text = SingleText(result);
        StringAssert.Contains(text, "1. wait_for_lock (libstore.so) score ");
        var set = PlanSet().Match(text);
        Assert.IsTrue(set.Success, text);
        uint module = uint.Parse(set.Groups[1].Value, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        var ids = TraceQuery.Model.FunctionIdSet.DecodeFunctionIds(module, set.Groups[2].Value);
        CollectionAssert.Contains(ids, 0xa8e76a7200000005UL); // wait_for_lock
    }

    [TestMethod]
    public async Task EveryTool_DefaultBudget_ThenAnswersWithin4096Tokens()
    {
        var calls = new (string Tool, Dictionary<string, object?> Arguments)[]
        {
            ("search_around", new() { ["trace"] = "indexer", ["anchor"] = "span:3", ["back"] = "1ms", ["ahead"] = "1ms" }),
            ("plan_key_symbols", new() { ["trace"] = "indexer", ["symptom"] = "the indexer crashes while parsing headers", ["top_k"] = 18 }),
            ("trace_info", new() { ["trace"] = "indexer" }),
            ("trace_query", new() { ["trace"] = "indexer", ["filter"] = "fn:parse_* and depth>2", ["projection"] = "full" }),
            ("trace_summary", new() { ["trace"] = "indexer" }),
            ("find_findings", new() { ["trace"] = "indexer", ["query"] = "memory grows when allocating buffers" }),
            ("list_spans", new() { ["trace"] = "indexer", ["function"] = "open_*", ["min_duration"] = "1us", ["limit"] = 5 }),
            ("top_functions", new() { ["trace"] = "indexer", ["metric"] = "p95", ["n"] = 3 }),
            ("get_events", new() { ["trace"] = "indexer", ["refs"] = new[] { "event:1:601", "span:3", "fn:0x05e4df9100000006" } }),
        };
        foreach (var (tool, arguments) in calls)
        {
            var result = await CallAsync(tool, arguments);
            string text = SingleText(result);
            Assert.IsTrue(text.Length > 20, tool);
            Assert.IsTrue(Counter.CountTokens(text) <= 4096, tool);
            Assert.AreEqual(4096, Structured(result).GetProperty("token_budget").GetInt32(), tool);
            Assert.IsTrue(Structured(result).GetProperty("tokens_used").GetInt32() <= 4096, tool);

            // A small budget holds too; one above the server's maximum is clamped, and the answer says so.
            var small = await CallAsync(tool, new Dictionary<string, object?>(arguments) { ["token_budget"] = 200 });
            Assert.IsTrue(Counter.CountTokens(SingleText(small)) + Counter.CountTokens(Compact(Structured(small))) <= 200, tool + " at 200");
            var large = await Client.CallToolAsync(tool, new Dictionary<string, object?>(arguments) { ["token_budget"] = 30_000 });
            Assert.AreNotEqual(true, large.IsError, tool);
            Assert.IsTrue(Counter.CountTokens(((TextContentBlock)large.Content[0]).Text) <= 20_000, tool + " at 30,000");
            Assert.AreEqual(20_000, Structured(large).GetProperty("token_budget").GetInt32(), tool);
            Assert.IsTrue(Structured(large).GetProperty("tokens_used").GetInt32() <= 20_000, tool + " at 30,000");
            Assert.AreEqual("Note: token_budget 30000 was clamped to the server's maximum of 20000.", ((TextContentBlock)large.Content[^1]).Text, tool);
        }
    }

    [TestMethod]
    public async Task TraceSummary_BudgetAboveServerMaximum_ThenClampedAndSaid()
    {
        var result = await Client.CallToolAsync("trace_summary", new Dictionary<string, object?> { ["trace"] = "indexer", ["token_budget"] = 50_000 });
        Assert.AreNotEqual(true, result.IsError);
        Assert.AreEqual(2, result.Content.Count);
        string data = ((TextContentBlock)result.Content[0]).Text;
        Assert.IsTrue(Counter.CountTokens(data) <= 20_000);
        Assert.AreEqual("Note: token_budget 50000 was clamped to the server's maximum of 20000.", ((TextContentBlock)result.Content[1]).Text);
        var structured = Structured(result);
        Assert.AreEqual(20_000, structured.GetProperty("token_budget").GetInt32());
        Assert.AreEqual("token_budget 50000 was clamped to the server's maximum of 20000", structured.GetProperty("budget_note").GetString());
        // Text, note and structured content together stay within the clamped budget, and tokens_used says how much they take.
        int total = Counter.CountTokens(data) + Counter.CountTokens(((TextContentBlock)result.Content[1]).Text) + Counter.CountTokens(Compact(structured));
        Assert.AreEqual(total, structured.GetProperty("tokens_used").GetInt32());
        Assert.IsTrue(total <= 20_000);
    }

    [TestMethod]
    [DataRow("trace_query", """{"trace":"indexer","filter":"(kind:call and)"}""", "Invalid params: 'filter' unexpected ')' at column 15; expected a term.")]
    [DataRow("trace_summary", """{"trace":"../etc"}""", "Invalid params: 'trace' '../etc' contains '..'; traces must stay inside the server's trace root.")]
    [DataRow("top_functions", """{"trace":"indexer","metric":"median"}""", "Invalid params: 'metric' is 'median'; use count, total, self or p95.")]
    [DataRow("get_events", """{"trace":"indexer","refs":["line:7"]}""", "Invalid params: 'refs' holds 'line:7', which is not event:<thread>:<seq>, span:<id>, fn:0x<hex>, sample:<index> or stack:<id>.")]
    public async Task Tool_BadArguments_ThenErrorResultWithServerMessage(string tool, string arguments, string message)
    {
        var parsed = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(arguments)!;
        var result = await Client.CallToolAsync(tool, parsed.ToDictionary(p => p.Key, p => (object?)p.Value));
        Assert.IsTrue(result.IsError);
        Assert.AreEqual(message, SingleText(result, allowError: true));
    }

    [TestMethod]
    [DataRow("get_events", """{"trace":"indexer"}""", "Invalid arguments for get_events: ", "'refs'")]
    [DataRow("trace_info", """{"trace":"indexer","token_budget":"lots"}""", "Invalid arguments for trace_info: ", "Int32")]
    public async Task Tool_ArgumentsOutsideSchema_ThenErrorResultSaysWhat(string tool, string arguments, string prefix, string detail)
    {
        var parsed = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(arguments)!;
        var result = await Client.CallToolAsync(tool, parsed.ToDictionary(p => p.Key, p => (object?)p.Value));
        Assert.IsTrue(result.IsError);
        string text = SingleText(result, allowError: true);
        StringAssert.StartsWith(text, prefix);
        StringAssert.Contains(text, detail);
    }

    private static async Task<CallToolResult> CallAsync(string tool, Dictionary<string, object?> arguments)
    {
        var result = await Client.CallToolAsync(tool, arguments);
        Assert.AreNotEqual(true, result.IsError, $"{tool}: {string.Join(" ", result.Content.OfType<TextContentBlock>().Select(b => b.Text))}\nserver stderr:\n{string.Join("\n", ServerErrorLines)}");
        return result;
    }

    private static string SingleText(CallToolResult result, bool allowError = false)
    {
        if (!allowError)
            Assert.AreNotEqual(true, result.IsError);
        Assert.AreEqual(1, result.Content.Count);
        return ((TextContentBlock)result.Content[0]).Text;
    }

    private static JsonElement Structured(CallToolResult result)
    {
        Assert.IsNotNull(result.StructuredContent, "a successful tool result carries structured content");
        return result.StructuredContent.Value;
    }

    /// <summary>The structured content as the server counted it: compact JSON, without escaping beyond what JSON needs.</summary>
    internal static string Compact(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            element.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Indented(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            element.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        foreach (string directory in Directory.GetDirectories(source))
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,64}$")]
    private static partial Regex ToolName();

    [GeneratedRegex(@"span:\d+")]
    private static partial Regex SpanRef();

    [GeneratedRegex(@"\(module 0x([0-9a-f]{8})\): \d+ functions? · (?:bitset|delta list) · ([A-Za-z0-9+/=]+)")]
    private static partial Regex PlanSet();
}
