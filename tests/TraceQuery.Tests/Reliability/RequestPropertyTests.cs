using System.Text;
using System.Text.Json;
using CsCheck;
using TraceQuery.Fuzz;
using TraceQuery.Generation;
using TraceQuery.Protocol;

namespace TraceQuery.Tests.Reliability;

/// <summary>Random JSON-RPC requests to TraceQueryServer only ever get well-formed responses (success or a typed error, never an internal error or a throw).</summary>
[TestClass]
public sealed class RequestPropertyTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly string[] Methods =
        ["trace.info", "trace.query", "narration.summary", "findings.search", "spans.list", "stats.functionsTopN", "events.get", "nope", "", "TRACE.INFO"];

    private static readonly string[] Keys =
    [
        "trace", "filter", "token_budget", "tokenBudget", "cursor", "model", "limit", "n", "metric", "projection", "query",
        "symptom", "function", "thread", "min_duration", "max_duration", "status", "refs", "ref", "detail", "unknown",
    ];

    private static readonly string[] Strings =
    [
        "", "memory", "session", ".", "..", "../..", "/etc", "session/../session", "SESSION", "~", "a\u0000b", "error", "kind:exception",
        "fn:/(a+)+$/", "((", "full", "minimal", "count", "total", "self", "p95", "complete", "orphan", "gpt-4o", "o200k_base", "unknown-model",
        "tq1.garbage", "event:0:1", "span:3", "fn:0x05e4df9100000006", "event:99:99", "span:-1", "10ms", "-1s", "99999999999999999999999s",
        "1.5us", "\ud800", "🙂", new string('x', 5000),
    ];

    private static readonly Gen<string> JsonValue = Gen.Frequency(
        (4, Gen.Int[0, Strings.Length - 1].Select(i => JsonSerializer.Serialize(Strings[i]).Replace("\\uD800", "\\ud800", StringComparison.Ordinal))),
        (3, Gen.OneOf(Gen.Const("0"), Gen.Const("-1"), Gen.Const("1"), Gen.Const("3"), Gen.Const("100"), Gen.Const("2147483647"), Gen.Const("2147483648"),
            Gen.Const("-2147483649"), Gen.Const("9223372036854775807"), Gen.Const("1e400"), Gen.Const("1.5"), Gen.Const("-0"))),
        (1, Gen.OneOf(Gen.Const("true"), Gen.Const("false"), Gen.Const("null"), Gen.Const("{}"), Gen.Const("[]"), Gen.Const("[\"event:0:1\",1]"),
            Gen.Const("[\"span:0\",\"fn:0x1\",\"event:1:0\"]"), Gen.Const("{\"a\":[[[[1]]]]}"))));

    private static readonly Gen<string> Params =
        Gen.Select(Gen.Int[0, Keys.Length - 1], JsonValue).Array[0, 6]
            .Select(pairs => "{" + string.Join(",", pairs.Select(p => JsonSerializer.Serialize(Keys[p.Item1]) + ":" + p.Item2)) + "}");

    private static readonly Gen<string> Single =
        Gen.Select(
            Gen.OneOf(Gen.Const("\"jsonrpc\":\"2.0\","), Gen.Const(""), Gen.Const("\"jsonrpc\":\"1.0\","), Gen.Const("\"jsonrpc\":2,")),
            Gen.OneOf(Gen.Const("\"id\":1,"), Gen.Const("\"id\":\"x\","), Gen.Const("\"id\":null,"), Gen.Const(""), Gen.Const("\"id\":{},"), Gen.Const("\"id\":1.5,")),
            Gen.Int[0, Methods.Length - 1],
            Gen.Frequency((8, Params), (1, Gen.Const("null")), (1, Gen.Const("[1,2]")), (1, Gen.Const("\"p\""))),
            (version, id, method, parameters) => "{" + version + id + "\"method\":" + JsonSerializer.Serialize(Methods[method]) + ",\"params\":" + parameters + "}");

    private static readonly Gen<string> Requests = Gen.Frequency(
        (10, Single),
        (2, Single.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
        (2, Gen.Select(Single, Gen.Int[0, 200], Gen.Char, (text, at, c) => text[..Math.Min(at, text.Length)] + c + text[Math.Min(at, text.Length)..])),
        (1, Gen.Select(Single, Gen.Int[0, 200], (text, at) => text[..Math.Min(at, text.Length)])),
        (1, Gen.Int[1, 100].Select(depth => new string('[', depth) + new string(']', depth))),
        (1, Gen.String));

    [TestMethod]
    public void HandleRequest_RandomRequests_ThenWellFormedResponses()
    {
        var tally = new Property.Tally();
        Property.ForAll(Requests, 300, 0x5EED_0004, request => tally.Add(Property.Run(FuzzTargets.Request, Encoding.UTF8.GetBytes(request))), r => r);
        TestContext.WriteLine("requests: " + tally);
        Assert.IsGreaterThan(15, tally[FuzzOutcome.Accepted], tally.ToString());
        Assert.IsGreaterThan(100, tally[FuzzOutcome.Rejected], tally.ToString());
    }

    [TestMethod]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"trace.\ud800"}""", -32602, "'method' is not valid Unicode text")]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"trace.query","params":{"filter":"fn:\ud800"}}""", -32602, "'filter' is not valid Unicode text")]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"events.get","params":{"refs":["\udc00"]}}""", -32602, "'refs' is not valid Unicode text")]
    [DataRow("""{"jsonrpc":"2.0","id":1,"method":"spans.list","params":{"min_duration":"99999999999999999999999999s"}}""", -32602, "'min_duration' must be nanoseconds")]
    public async Task HandleRequest_FoundByFuzzing_ThenInvalidParamsNotAThrowOrInternalError(string request, int code, string message)
    {
        // Before the fix: a lone surrogate escape in "method" escaped HandleRequestAsync as InvalidOperationException;
        // in a parameter it became an internal error; an overflowing duration threw OverflowException.
        Assert.AreEqual(FuzzOutcome.Rejected, FuzzTargets.Request(Encoding.UTF8.GetBytes(request)));
        using var trace = TraceGenerator.Generate(50);
        await using var server = new TraceQueryServer(new QueryEngine());
        server.RegisterTrace("memory", trace);
        await server.StartAsync();
        string response = await server.HandleRequestAsync(request);
        using var document = JsonDocument.Parse(response);
        var error = document.RootElement.GetProperty("error");
        Assert.AreEqual(code, error.GetProperty("code").GetInt32());
        StringAssert.Contains(error.GetProperty("message").GetString(), message);
    }
}
