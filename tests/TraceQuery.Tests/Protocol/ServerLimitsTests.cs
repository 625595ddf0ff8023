using System.Text.Json;
using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Protocol;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Protocol;

/// <summary>Every server limit gives a clear error naming it, and the next ordinary request is served.</summary>
[TestClass]
public sealed class ServerLimitsTests
{
    private const string Ordinary = """{"jsonrpc":"2.0","id":0,"method":"trace.query","params":{"trace":"s","filter":"kind:exception","token_budget":200}}""";

    private static readonly Lazy<string> Root = new(() =>
    {
        string root = TestPaths.NewTempDirectory("limits");
        using var trace = TraceGenerator.Generate(3_000, new TraceGeneratorOptions { Threads = 2, Anomalies = TraceAnomalies.Crash });
        AtfWriter.Write(trace, Path.Combine(root, "s"));
        return root;
    });

    private static async Task<JsonElement> SendAsync(TraceQueryServer server, string request) =>
        JsonDocument.Parse(await server.HandleRequestAsync(request)).RootElement.Clone();

    public static IEnumerable<object[]> OverLimit =>
    [
        ["request size", new TraceQueryServerOptions { MaxRequestBytes = 200 }, "{\"method\":\"trace.info\",\"params\":{\"trace\":\"s\",\"pad\":\"" + new string('x', 300) + "\"}}", -32600, "above the server's limit of 200"],
        ["JSON depth", new TraceQueryServerOptions { MaxJsonDepth = 4 }, """{"method":"trace.info","params":{"trace":"s","x":[[[[1]]]]}}""", -32700, "depth"],
        ["string length", new TraceQueryServerOptions { MaxStringLength = 50 }, "{\"method\":\"trace.query\",\"params\":{\"trace\":\"s\",\"filter\":\"" + new string('a', 60) + "\"}}", -32602, "'filter' is 60 characters long"],
        ["regex length", new TraceQueryServerOptions { MaxRegexLength = 10 }, """{"method":"trace.query","params":{"trace":"s","filter":"fn:/^(parse|hash)_.*$/"}}""", -32602, "'filter' holds a regex of 17 characters"],
        ["regex length in spans.list", new TraceQueryServerOptions { MaxRegexLength = 10 }, """{"method":"spans.list","params":{"trace":"s","function":"/^(parse|hash)_.*$/"}}""", -32602, "'function' holds a regex"],
        ["response size", new TraceQueryServerOptions { MaxResponseBytes = 1_000 }, """{"method":"narration.summary","params":{"trace":"s","token_budget":3000}}""", -32003, "above the server's limit of 1,000"],
        ["events loaded", new TraceQueryServerOptions { ReadOptions = new AtfReadOptions { MaxEvents = 1_000 } }, """{"method":"trace.info","params":{"trace":"s"}}""", -32000, "AtfReadOptions.MaxEvents"],
        ["symbols", new TraceQueryServerOptions { ReadOptions = new AtfReadOptions { MaxSymbols = 3 } }, """{"method":"trace.info","params":{"trace":"s"}}""", -32000, "AtfReadOptions.MaxSymbols"],
        ["manifest strings", new TraceQueryServerOptions { ReadOptions = new AtfReadOptions { MaxStringLength = 4 } }, """{"method":"trace.info","params":{"trace":"s"}}""", -32000, "AtfReadOptions.MaxStringLength"],
        ["manifest size", new TraceQueryServerOptions { ReadOptions = new AtfReadOptions { MaxManifestBytes = 100 } }, """{"method":"trace.info","params":{"trace":"s"}}""", -32000, "AtfReadOptions.MaxManifestBytes"],
        ["manifest depth", new TraceQueryServerOptions { ReadOptions = new AtfReadOptions { MaxJsonDepth = 1 } }, """{"method":"trace.info","params":{"trace":"s"}}""", -32000, "depth"],
        ["token budget 0", new TraceQueryServerOptions(), """{"method":"trace.info","params":{"trace":"s","token_budget":0}}""", -32602, "'token_budget' is 0"],
        ["token budget negative", new TraceQueryServerOptions(), """{"method":"trace.info","params":{"trace":"s","token_budget":-5}}""", -32602, "'token_budget' is -5"],
        ["token budget beyond int", new TraceQueryServerOptions(), """{"method":"trace.info","params":{"trace":"s","token_budget":2147483648}}""", -32602, "'token_budget' is 2147483648"],
        ["limit 0", new TraceQueryServerOptions(), """{"method":"trace.query","params":{"trace":"s","limit":0}}""", -32602, "'limit' is 0"],
        ["n above cap", new TraceQueryServerOptions(), """{"method":"stats.functionsTopN","params":{"trace":"s","n":2147483647}}""", -32602, "'n' is 2147483647"],
    ];

    [TestMethod]
    [DynamicData(nameof(OverLimit))]
    public async Task Request_OverLimit_ThenClearErrorAndNextRequestServed(string limit, TraceQueryServerOptions options, string request, int code, string message)
    {
        await using var server = new TraceQueryServer(new QueryEngine(), options with { TraceRoot = Root.Value });
        await server.StartAsync();
        var response = await SendAsync(server, request);
        var error = response.GetProperty("error");
        Assert.AreEqual(code, error.GetProperty("code").GetInt32(), $"{limit}: {response}");
        StringAssert.Contains(error.GetProperty("message").GetString(), message, limit);

        bool traceUnreadable = code == -32000;
        var next = await SendAsync(server, Ordinary);
        if (traceUnreadable)
            Assert.AreEqual(-32000, next.GetProperty("error").GetProperty("code").GetInt32(), "the same over-limit trace is refused again, not half-loaded");
        else
            Assert.AreEqual("success", next.GetProperty("result").GetProperty("status").GetString(), $"{limit}: {next}");
        Assert.IsLessThanOrEqualTo(1, server.CachedTraceCount);
    }

    [TestMethod]
    public async Task TokenBudget_IntMaxValue_ThenClampedToServerMaximumAndSaid()
    {
        await using var server = new TraceQueryServer(new QueryEngine(), new TraceQueryServerOptions { TraceRoot = Root.Value, MaxTokenBudget = 500 });
        await server.StartAsync();
        var result = (await SendAsync(server, """{"jsonrpc":"2.0","id":1,"method":"narration.summary","params":{"trace":"s","token_budget":2147483647}}""")).GetProperty("result");
        Assert.AreEqual(500, result.GetProperty("token_budget").GetInt32());
        Assert.IsLessThanOrEqualTo(500, result.GetProperty("tokens_used").GetInt32());
        StringAssert.Contains(result.GetProperty("budget_note").GetString(), "2147483647 was clamped");
    }

    [TestMethod]
    public async Task Limits_IntMaxValue_ThenAcceptedAsNoLimit()
    {
        var options = new TraceQueryServerOptions
        {
            TraceRoot = Root.Value,
            MaxRequestBytes = int.MaxValue,
            MaxResponseBytes = int.MaxValue,
            MaxJsonDepth = int.MaxValue,
            MaxStringLength = int.MaxValue,
            MaxRegexLength = int.MaxValue,
            MaxCachedTraces = int.MaxValue,
            MaxConcurrentRequests = int.MaxValue - 1, // SemaphoreSlim's own maximum
            MaxTokenBudget = int.MaxValue,
            ReadOptions = new AtfReadOptions { MaxEvents = long.MaxValue, MaxSymbols = int.MaxValue, MaxStringLength = int.MaxValue, MaxJsonDepth = int.MaxValue, MaxManifestBytes = long.MaxValue },
        };
        await using var server = new TraceQueryServer(new QueryEngine(), options);
        await server.StartAsync();
        Assert.AreEqual("success", (await SendAsync(server, Ordinary)).GetProperty("result").GetProperty("status").GetString());
        // A regex above the parser's own cap is still refused by the parser.
        var error = (await SendAsync(server, "{\"method\":\"trace.query\",\"params\":{\"trace\":\"s\",\"filter\":\"fn:/" + new string('a', 1001) + "/\"}}")).GetProperty("error");
        Assert.AreEqual(-32602, error.GetProperty("code").GetInt32());
    }

    public static IEnumerable<object[]> BadOptions =>
    [
        [new TraceQueryServerOptions { MaxRequestBytes = 0 }, "MaxRequestBytes"],
        [new TraceQueryServerOptions { MaxResponseBytes = -1 }, "MaxResponseBytes"],
        [new TraceQueryServerOptions { MaxJsonDepth = 0 }, "MaxJsonDepth"],
        [new TraceQueryServerOptions { MaxStringLength = -1 }, "MaxStringLength"],
        [new TraceQueryServerOptions { MaxRegexLength = 0 }, "MaxRegexLength"],
        [new TraceQueryServerOptions { MaxCachedTraces = 0 }, "MaxCachedTraces"],
        [new TraceQueryServerOptions { MaxConcurrentRequests = 0 }, "MaxConcurrentRequests"],
        [new TraceQueryServerOptions { DefaultTokenBudget = 0 }, "DefaultTokenBudget"],
        [new TraceQueryServerOptions { MaxTokenBudget = int.MinValue }, "MaxTokenBudget"],
        [new TraceQueryServerOptions { RequestTimeout = TimeSpan.Zero }, "options"],
        [new TraceQueryServerOptions { ReadOptions = new AtfReadOptions { MaxEvents = 0 } }, "MaxEvents"],
        [new TraceQueryServerOptions { ReadOptions = new AtfReadOptions { MaxSymbols = -1 } }, "MaxSymbols"],
    ];

    [TestMethod]
    [DynamicData(nameof(BadOptions))]
    public void Constructor_LimitBelowOne_ThenArgumentOutOfRangeNamingIt(TraceQueryServerOptions options, string name)
    {
        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TraceQueryServer(new QueryEngine(), options));
        Assert.AreEqual(name, error.ParamName);
    }

    [TestMethod]
    public void AtfReader_OverEventCap_ThenTraceFormatExceptionNamingTheCap()
    {
        var error = Assert.ThrowsExactly<TraceQuery.Formats.TraceFormatException>(() => AtfReader.Open(Path.Combine(Root.Value, "s"), new AtfReadOptions { MaxEvents = 10 }));
        StringAssert.Contains(error.Message, "more than the 10 AtfReadOptions.MaxEvents allows");
        using var trace = AtfReader.Open(Path.Combine(Root.Value, "s"), new AtfReadOptions { MaxEvents = 3_000 });
        Assert.AreEqual(3_000, trace.EventCount);
    }
}
