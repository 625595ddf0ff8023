using System.Text.Json;
using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.Protocol;
using TraceQuery.Summaries;
using TraceQuery.Text;

namespace TraceQuery.Tests.Protocol;

/// <summary>
/// The server is an adapter: every method's answer is the typed <see cref="QueryEngine"/> entry point's answer, byte for
/// byte, and typed errors map to JSON-RPC codes naming the parameter.
/// </summary>
[TestClass]
public sealed class FacadeParityTests
{
    private const string TraceName = "crash";
    private static readonly QueryEngine Engine = new(tokenCounter: new TokenCounter("gpt-4o"));
    private static readonly Lazy<ExecutionTrace> Crash = new(() =>
        TraceGenerator.Generate(6_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.Crash | TraceAnomalies.Leak, WithDetail = true }));

    private static async Task<TraceQueryServer> StartAsync()
    {
        var server = new TraceQueryServer(Engine);
        server.RegisterTrace(TraceName, Crash.Value);
        await server.StartAsync();
        return server;
    }

    /// <summary>One row per method: the JSON request and the same request made through the typed façade.</summary>
    public static IEnumerable<object[]> Methods()
    {
        yield return Row(TraceQueryMethods.TraceInfo, """{"token_budget":600}""",
            (e, t) => e.Info(t, new TraceInfoRequest { TraceName = TraceName, TokenBudget = 600 }));
        yield return Row(TraceQueryMethods.Query, """{"filter":"kind:exception or fn:open_store","projection":"full","limit":40,"token_budget":400}""",
            (e, t) => e.Query(t, new EventQueryRequest { Filter = "kind:exception or fn:open_store", Projection = EventProjection.Full, Limit = 40, TokenBudget = 400 }));
        yield return Row(TraceQueryMethods.NarrationSummary, """{"filter":"depth>2","token_budget":500}""",
            (e, t) => e.Summarize(t, new SummaryRequest { Filter = "depth>2", TokenBudget = 500 }));
        yield return Row(TraceQueryMethods.FindingsSearch, """{"query":"memory grows when allocating buffers","limit":5,"token_budget":400}""",
            (e, t) => e.SearchFindings(t, new FindingSearchRequest { Symptom = "memory grows when allocating buffers", Limit = 5, TokenBudget = 400 }));
        yield return Row(TraceQueryMethods.SpansList, """{"function":"open_*","thread":0,"status":"complete","min_duration":"1us","max_duration":"1s","limit":5,"token_budget":400}""",
            (e, t) => e.ListSpans(t, new SpanListRequest { Function = "open_*", ThreadId = 0, Status = SpanStatus.Complete, MinDurationNs = 1_000, MaxDurationNs = 1_000_000_000, Limit = 5, TokenBudget = 400 }));
        yield return Row(TraceQueryMethods.StatsFunctionsTopN, """{"metric":"p95","n":4,"filter":"depth>1","token_budget":400}""",
            (e, t) => e.TopFunctions(t, new TopFunctionsRequest { Metric = FunctionMetric.P95, Count = 4, Filter = "depth>1", TokenBudget = 400 }));
        yield return Row(TraceQueryMethods.EventsGet, """{"refs":["event:0:1","span:3","fn:0x05e4df9100000006","event:9:9"],"token_budget":600}""",
            (e, t) => e.GetEvents(t, new EventLookupRequest { References = ["event:0:1", "span:3", "fn:0x05e4df9100000006", "event:9:9"], TokenBudget = 600 }));
        yield return Row(TraceQueryMethods.SearchScoped, """{"anchor":"span:3","back":"2us","ahead":"1μs","filter":"depth<4","token_budget":500}""",
            (e, t) => e.SearchScoped(t, new ScopedSearchRequest { Anchor = "span:3", LookBackNs = 2_000, LookAheadNs = 1_000, Filter = "depth<4", TokenBudget = 500 }));
        yield return Row(TraceQueryMethods.PlanKeySymbols, """{"symptom":"crash while parsing the header","hints":{"modules":["libstore"]},"top_k":4,"token_budget":400}""",
            (e, t) => e.PlanKeySymbols(t, new KeySymbolRequest { Symptom = "crash while parsing the header", Hints = new KeySymbolHints { Modules = ["libstore"] }, TopK = 4, TokenBudget = 400 }));
    }

    private static string Request(int id, string method, string parameters) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + parameters + "}";

    private static object[] Row(string method, string parameters, Func<QueryEngine, ExecutionTrace, QueryResult> typed) => [method, parameters, typed];

    [TestMethod]
    [DynamicData(nameof(Methods))]
    public async Task Method_ThroughServerAndTypedFacade_ThenSameAnswer(string method, string parameters, Func<QueryEngine, ExecutionTrace, QueryResult> typed)
    {
        await using var server = await StartAsync();
        string request = Request(1, method, parameters);
        var result = JsonDocument.Parse(await server.HandleRequestAsync(request)).RootElement.GetProperty("result");
        var direct = typed(Engine, Crash.Value);

        Assert.AreEqual("success", result.GetProperty("status").GetString());
        Assert.AreEqual(direct.Summary, result.GetProperty("data").GetString());
        Assert.AreEqual(direct.TokenCount, result.GetProperty("tokens_used").GetInt32());
        Assert.AreEqual(direct.DidTruncate, result.GetProperty("did_truncate").GetBoolean());
        Assert.AreEqual(direct.NextCursor, result.GetProperty("next_cursor").GetString());
        Assert.AreEqual(direct.EventsMatched, result.GetProperty("events_matched").GetInt32());
        Assert.IsTrue(direct.Summary.Length > 40, direct.Summary);
    }

    [TestMethod]
    public void RequestMethods_All_ThenEveryNameOnceAndTheServersList()
    {
        CollectionAssert.AllItemsAreUnique(TraceQueryMethods.All.ToList());
        Assert.AreEqual(11, TraceQueryMethods.All.Count);
        CollectionAssert.AreEqual(TraceQueryMethods.All.ToList(), TraceQueryServer.Methods.ToList());
        // traces.fleet and traces.diff answer over several traces: TraceSetMethodsTests holds their parity with the façade.
        string[] traceSets = [TraceQueryMethods.TracesFleet, TraceQueryMethods.TracesDiff];
        CollectionAssert.AreEquivalent(TraceQueryMethods.All.Except(traceSets).ToList(), Methods().Select(row => (string)row[0]).ToList());
    }

    [TestMethod]
    [DataRow("events.gett")]
    [DataRow("EVENTS.GET")]
    [DataRow("")]
    [DataRow("trace.info ")]
    public async Task UnknownMethod_ThenMethodNotFoundAndNoFallback(string method)
    {
        await using var server = await StartAsync();
        string request = Request(7, method, """{"refs":["event:0:1"]}""");
        var response = JsonDocument.Parse(await server.HandleRequestAsync(request)).RootElement;
        Assert.IsFalse(response.TryGetProperty("result", out _), response.ToString());
        var error = response.GetProperty("error");
        Assert.AreEqual(-32601, error.GetProperty("code").GetInt32());
        StringAssert.StartsWith(error.GetProperty("message").GetString(), $"Method not found: '{method}'.");
        Assert.AreEqual(7, response.GetProperty("id").GetInt32());
    }

    [TestMethod]
    [DataRow("narration.summary", """{"cursor":"tq1.AAAAAAAAAAAAAAAA"}""", "cursor", "Invalid params: 'cursor' The cursor belongs to another trace or query")]
    [DataRow("narration.summary", """{"model":"gpt-17"}""", "model", "Invalid params: 'model' Unknown model 'gpt-17'.")]
    [DataRow("trace.query", """{"token_budget":5}""", "token_budget", "Invalid params: 'token_budget' A budget of 5 tokens is below the minimum of")]
    [DataRow("narration.summary", """{"filter":"depth>"}""", "filter", "Invalid params: 'filter' ")]
    [DataRow("search.scoped", """{"filter":"(kind:call and)","anchor":"span:1"}""", "filter", "Invalid params: 'filter' unexpected ')' at column 15; expected a term.")]
    [DataRow("search.scoped", """{"anchor":"span:99999999"}""", "anchor", "Invalid params: 'anchor' span:99999999 does not exist")]
    [DataRow("search.scoped", """{"anchor":"1.5 parsecs"}""", "anchor", "Invalid params: 'anchor' '1.5 parsecs' is not an anchor")]
    [DataRow("spans.list", """{"function":"/(/"}""", "function", "Invalid params: 'function' is not a valid pattern")]
    [DataRow("spans.list", """{"status":"lost"}""", "status", "Invalid params: 'status' is 'lost'; use complete, unmatched, unwound, orphan or error.")]
    [DataRow("events.get", """{"refs":["evnt:1"]}""", "refs", "Invalid params: 'refs' holds 'evnt:1', which is not event:<thread>:<seq>, span:<id>, fn:0x<hex>, sample:<index> or stack:<id>.")]
    [DataRow("trace.query", """{"projection":"wide"}""", "projection", "Invalid params: 'projection' is 'wide'; use minimal or full.")]
    public async Task TypedError_ThroughServer_ThenInvalidParamsNamingTheParameter(string method, string parameters, string parameter, string message)
    {
        await using var server = await StartAsync();
        string request = Request(1, method, parameters);
        var error = JsonDocument.Parse(await server.HandleRequestAsync(request)).RootElement.GetProperty("error");
        Assert.AreEqual(-32602, error.GetProperty("code").GetInt32(), error.ToString());
        Assert.AreEqual(parameter, error.GetProperty("data").GetProperty("parameter").GetString());
        StringAssert.StartsWith(error.GetProperty("message").GetString(), message);
        Assert.IsFalse(error.GetProperty("message").GetString()!.Contains("(Parameter", StringComparison.Ordinal), error.ToString());
    }

    [TestMethod]
    public void TypedFacade_BadArguments_ThenTypedExceptionsNamingTheArgument()
    {
        var trace = Crash.Value;
        Assert.AreEqual("cursor", Assert.ThrowsExactly<QueryArgumentException>(() => Engine.Summarize(trace, new SummaryRequest { Cursor = "garbage" })).Parameter);
        Assert.AreEqual("model", Assert.ThrowsExactly<QueryArgumentException>(() => Engine.Info(trace, new TraceInfoRequest { Model = "gpt-17" })).Parameter);
        Assert.AreEqual("anchor", Assert.ThrowsExactly<QueryArgumentException>(() => Engine.SearchScoped(trace, new ScopedSearchRequest { Anchor = "span:99999999" })).Parameter);
        Assert.AreEqual("back", Assert.ThrowsExactly<QueryArgumentException>(() => Engine.SearchScoped(trace, new ScopedSearchRequest { Anchor = "span:1", LookBackNs = -1 })).Parameter);
        Assert.AreEqual("refs", Assert.ThrowsExactly<QueryArgumentException>(() => Engine.GetEvents(trace, new EventLookupRequest { References = ["nope"] })).Parameter);
        Assert.AreEqual("limit", Assert.ThrowsExactly<QueryArgumentException>(() => Engine.ListSpans(trace, new SpanListRequest { Limit = 0 })).Parameter);
        Assert.AreEqual("symptom", Assert.ThrowsExactly<QueryArgumentException>(() => Engine.PlanKeySymbols(trace, new KeySymbolRequest { Symptom = " " })).Parameter);
        var budget = Assert.ThrowsExactly<TokenBudgetException>(() => Engine.Query(trace, new EventQueryRequest { TokenBudget = 5 }));
        Assert.AreEqual(5, budget.Budget);
        Assert.IsTrue(budget.Minimum > 5, budget.Message);
        StringAssert.Contains(budget.Reason, $"Ask for at least {budget.Minimum}.");
        Assert.ThrowsExactly<FilterSyntaxException>(() => Engine.TopFunctions(trace, new TopFunctionsRequest { Filter = "depth>" }));
    }

    [TestMethod]
    [DataRow("1.5ms")]
    [DataRow("1500us")]
    [DataRow("1500µs")]
    [DataRow("1500μs")]
    [DataRow("+1500000")]
    [DataRow("time:1.5ms")]
    public void SearchScoped_TimeAnchorInEveryUnitSpelling_ThenSameAnswer(string anchor)
    {
        var trace = Crash.Value;
        var expected = Engine.SearchScoped(trace, new ScopedSearchRequest { Anchor = "1500000", TokenBudget = 300 });
        var actual = Engine.SearchScoped(trace, new ScopedSearchRequest { Anchor = anchor, TokenBudget = 300 });
        StringAssert.StartsWith(actual.Summary, "# Around time +1.50 ms");
        Assert.AreEqual(expected.Summary, actual.Summary);
    }
}
