using System.IO.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TraceQuery.Mcp;
using TraceQuery.Protocol;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Mcp;

/// <summary>
/// A host's own MCP server (its own tool and resource) that adds the TraceQuery tools with <c>WithTraceQueryTools</c>, in this
/// process over a pair of in-memory pipes, talked to with the SDK's client: the two sets live side by side.
/// </summary>
[TestClass]
public sealed class HostEmbeddingTests
{
    private static readonly TokenCounter Counter = new("gpt-4o");
    private static IHost? _host;
    private static McpClient? _client;

    private static McpClient Client => _client ?? throw new InvalidOperationException("The MCP client did not connect.");

    [ClassInitialize]
    public static async Task StartHostAsync(TestContext context)
    {
        string root = TestPaths.NewTempDirectory("mcp-host");
        McpServerEndToEndTests.CopyDirectory(Path.Combine(TestPaths.RepositoryRoot, "samples", "indexer"), Path.Combine(root, "indexer"));
        Directory.CreateDirectory(Path.Combine(root, "web"));
        File.Copy(Path.Combine(TestPaths.Fixtures, "chrome", "phases.json"), Path.Combine(root, "web", "phases.json"));

        var toServer = new Pipe();
        var toClient = new Pipe();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddMcpServer()
            .WithStreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream())
            .WithTools([McpServerTool.Create([System.ComponentModel.Description("Echoes the text.")] (string text) => "echo " + text, new McpServerToolCreateOptions { Name = "echo" })])
            .WithResources([McpServerResource.Create(() => "hello from the host", new McpServerResourceCreateOptions { UriTemplate = "host://hello", Name = "hello" })])
            .WithTraceQueryTools(new TraceQueryMcpOptions { Server = new TraceQueryServerOptions { TraceRoot = root }, ResourcePageSize = 1 });
        _host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _host.StartAsync(timeout.Token);
        _client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()), cancellationToken: timeout.Token);
    }

    [ClassCleanup]
    public static async Task StopHostAsync()
    {
        if (_client is not null)
            await _client.DisposeAsync();
        if (_host is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _host.StopAsync(timeout.Token);
            _host.Dispose();
        }
    }

    [TestMethod]
    public async Task ListTools_HostWithOwnTool_ThenHostToolAndElevenTraceQueryTools()
    {
        var names = (await Client.ListToolsAsync()).Select(t => t.Name).Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(new[] { "diff_runs", "echo", "find_findings", "fleet_summary", "get_events", "list_spans", "plan_key_symbols", "search_around", "top_functions", "trace_info", "trace_query", "trace_summary" }, names);
        var echo = await Client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "hi" });
        Assert.AreEqual("echo hi", ((TextContentBlock)echo.Content.Single()).Text);
    }

    [TestMethod]
    public async Task ListResources_Paged_ThenHostResourceFirstThenOneTracePerPage()
    {
        var first = await Client.ListResourcesAsync(new ListResourcesRequestParams());
        CollectionAssert.AreEqual(new[] { "host://hello", "trace://indexer" }, first.Resources.Select(r => r.Uri).ToArray());
        Assert.AreEqual("tracequery:1", first.NextCursor);
        var second = await Client.ListResourcesAsync(new ListResourcesRequestParams { Cursor = first.NextCursor });
        Assert.AreEqual("trace://web/phases.json", second.Resources.Single().Uri);
        Assert.AreEqual("chrome-json", second.Resources.Single().Meta!["format"]!.GetValue<string>());
        Assert.IsNull(second.NextCursor);
        var host = await Client.ReadResourceAsync("host://hello");
        Assert.AreEqual("hello from the host", ((TextResourceContents)host.Contents.Single()).Text);
    }

    [TestMethod]
    public async Task TraceQuery_ChromeTraceInHost_ThenStructuredReferencesResolve()
    {
        var result = await Client.CallToolAsync("trace_query", new Dictionary<string, object?> { ["trace"] = "web/phases.json", ["filter"] = "kind:call", ["token_budget"] = 1500 });
        Assert.AreNotEqual(true, result.IsError, ((TextContentBlock)result.Content[0]).Text);
        string text = ((TextContentBlock)result.Content.Single()).Text;
        var structured = result.StructuredContent!.Value;
        string[] references = [.. structured.GetProperty("references").EnumerateArray().Select(r => r.GetString()!)];
        Assert.IsTrue(references.Length > 0, text);
        foreach (string reference in references)
            StringAssert.Contains(text, reference);
        Assert.AreEqual(Counter.CountTokens(text) + Counter.CountTokens(McpServerEndToEndTests.Compact(structured)), structured.GetProperty("tokens_used").GetInt32());
    }

    [TestMethod]
    [DataRow("trace_summary", 120)]
    [DataRow("trace_summary", 999)]
    [DataRow("trace_summary", 1000)]
    [DataRow("trace_query", 333)]
    [DataRow("trace_query", 2500)]
    [DataRow("search_around", 777)]
    [DataRow("find_findings", 1500)]
    [DataRow("top_functions", 150)]
    public async Task Tool_AnyBudget_ThenTextAndStructuredContentTogetherWithinIt(string tool, int budget)
    {
        var arguments = new Dictionary<string, object?> { ["trace"] = "indexer", ["token_budget"] = budget };
        if (tool == "trace_query")
            arguments["filter"] = "kind:call";
        if (tool == "search_around")
            arguments["anchor"] = "event:1:601";
        var result = await Client.CallToolAsync(tool, arguments);
        Assert.AreNotEqual(true, result.IsError, ((TextContentBlock)result.Content[0]).Text);
        string text = ((TextContentBlock)result.Content.Single()).Text;
        var structured = result.StructuredContent!.Value;
        int total = Counter.CountTokens(text) + Counter.CountTokens(McpServerEndToEndTests.Compact(structured));
        Assert.AreEqual(total, structured.GetProperty("tokens_used").GetInt32());
        Assert.IsTrue(total <= budget, $"{total} tokens for a budget of {budget}");
        if (structured.GetProperty("did_truncate").GetBoolean())
            Assert.IsTrue(total >= budget * 8 / 10, $"a cut answer uses most of the budget: {total} of {budget}");
    }

    [TestMethod]
    public async Task TraceSummary_BudgetBelowMinimum_ThenRefusedWithAMinimumThatWorks()
    {
        var refused = await Client.CallToolAsync("trace_summary", new Dictionary<string, object?> { ["trace"] = "indexer", ["token_budget"] = 60 });
        Assert.IsTrue(refused.IsError);
        string message = ((TextContentBlock)refused.Content.Single()).Text;
        var match = System.Text.RegularExpressions.Regex.Match(message, @"^Invalid params: 'token_budget' A budget of 60 tokens is below the minimum of (\d+) for this trace and query: .* Ask for at least \1\.$");
        Assert.IsTrue(match.Success, message);
        int minimum = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var answered = await Client.CallToolAsync("trace_summary", new Dictionary<string, object?> { ["trace"] = "indexer", ["token_budget"] = minimum });
        Assert.AreNotEqual(true, answered.IsError, ((TextContentBlock)answered.Content[0]).Text);
        Assert.IsTrue(answered.StructuredContent!.Value.GetProperty("tokens_used").GetInt32() <= minimum);
    }
}
