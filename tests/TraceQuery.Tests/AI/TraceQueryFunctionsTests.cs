using System.Text.Json;
using Microsoft.Extensions.AI;
using TraceQuery.AI;
using TraceQuery.Protocol;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.AI;

[TestClass]
public sealed class TraceQueryFunctionsTests
{
    private static readonly string Samples = Path.Combine(TestPaths.RepositoryRoot, "samples");

    [TestMethod]
    public void Create_ThenElevenFunctionsWithTheMcpToolNamesAndParameters()
    {
        using var functions = TraceQueryFunctions.Create(new QueryEngine(), Samples);
        CollectionAssert.AreEqual(
            new[] { "trace_info", "trace_query", "trace_summary", "find_findings", "list_spans", "top_functions", "get_events", "search_around", "plan_key_symbols", "fleet_summary", "diff_runs" },
            functions.Select(f => f.Name).ToArray());
        var summary = functions.Single(f => f.Name == "trace_summary");
        StringAssert.StartsWith(summary.Description, "Summarize a trace, or the part a filter selects");
        string[] parameters = [.. summary.JsonSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];
        CollectionAssert.AreEqual(new[] { "trace", "filter", "token_budget", "model", "cursor" }, parameters);
        Assert.AreEqual(4096, summary.JsonSchema.GetProperty("properties").GetProperty("token_budget").GetProperty("default").GetInt32());
    }

    [TestMethod]
    public async Task FunctionInvocation_ScriptedModelCallsSummary_ThenResultIsTheServersBudgetedAnswer()
    {
        await using var functions = TraceQueryFunctions.Create(new QueryEngine(), Samples);
        var script = new ScriptedChatClient(
            _ => new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call-1", "trace_summary", new Dictionary<string, object?> { ["trace"] = "indexer", ["token_budget"] = 300 })]),
            conversation => new ChatMessage(ChatRole.Assistant, "The indexer crashed in parse_header."));
        using var chat = new ChatClientBuilder(script).UseFunctionInvocation().Build();

        var response = await chat.GetResponseAsync("Why did the indexer crash?", new ChatOptions { Tools = [.. functions] });

        Assert.AreEqual("The indexer crashed in parse_header.", response.Text);
        var result = script.Seen[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single();
        Assert.AreEqual("call-1", result.CallId);
        string text = ResultText(result);
        // The same answer the JSON-RPC server gives for the same method and parameters, within the budget.
        string expected = await ServerTextAsync(functions.Server, """{"jsonrpc":"2.0","id":1,"method":"narration.summary","params":{"trace":"indexer","token_budget":300}}""");
        Assert.AreEqual(expected, text);
        Assert.IsTrue(new TokenCounter("gpt-4o").CountTokens(text) <= 300);
        StringAssert.StartsWith(text, "# Trace indexer: 4,000 events");
    }

    [TestMethod]
    public async Task FunctionInvocation_BadArguments_ThenResultSaysWhatToFix()
    {
        await using var functions = TraceQueryFunctions.Create(new QueryEngine(), Samples);
        var script = new ScriptedChatClient(
            _ => new ChatMessage(ChatRole.Assistant,
            [
                new FunctionCallContent("bad-filter", "trace_query", new Dictionary<string, object?> { ["trace"] = "indexer", ["filter"] = "(kind:call and)" }),
                new FunctionCallContent("no-refs", "get_events", new Dictionary<string, object?> { ["trace"] = "indexer" }),
            ]),
            _ => new ChatMessage(ChatRole.Assistant, "done"));
        using var chat = new ChatClientBuilder(script).UseFunctionInvocation().Build();

        await chat.GetResponseAsync("Query it.", new ChatOptions { Tools = [.. functions] });

        var results = script.Seen[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToDictionary(r => r.CallId, ResultText);
        Assert.AreEqual("Error: Invalid params: 'filter' unexpected ')' at column 15; expected a term.", results["bad-filter"]);
        StringAssert.StartsWith(results["no-refs"], "Error: invalid arguments for get_events: ");
        StringAssert.Contains(results["no-refs"], "refs");
    }

    [TestMethod]
    public async Task Invoke_BudgetAboveMaximum_ThenClampedAndNoted()
    {
        await using var functions = TraceQueryFunctions.Create(new QueryEngine(), Samples, new TraceQueryServerOptions { MaxTokenBudget = 500 });
        var info = functions.Single(f => f.Name == "trace_info");
        string text = ResultText(await info.InvokeAsync(new AIFunctionArguments { ["trace"] = "indexer", ["token_budget"] = 9000 }));
        StringAssert.EndsWith(text, "\n\nNote: token_budget 9000 was clamped to the server's maximum of 500.");
    }

    [TestMethod]
    public void Create_RootIsNoDirectory_ThenDirectoryNotFound()
    {
        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => TraceQueryFunctions.Create(new QueryEngine(), Path.Combine(Samples, "nothing-here")));
        StringAssert.Contains(e.Message, "nothing-here");
    }

    private static string ResultText(FunctionResultContent result) => ResultText(result.Result);

    private static string ResultText(object? result) => result switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString()!,
        _ => throw new AssertFailedException("The function returned " + (result?.GetType().Name ?? "null") + ", not text."),
    };

    private static async Task<string> ServerTextAsync(TraceQueryServer server, string request)
    {
        using var response = JsonDocument.Parse(await server.HandleRequestAsync(request));
        return response.RootElement.GetProperty("result").GetProperty("data").GetString()!;
    }
}
