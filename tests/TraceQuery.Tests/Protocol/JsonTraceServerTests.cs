using System.Text.Json;
using TraceQuery.Protocol;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Protocol;

[TestClass]
public sealed class JsonTraceServerTests
{
    private static readonly QueryEngine Engine = new();

    /// <summary>A root holding the Chrome and OTLP fixtures as files, one of them in a subdirectory.</summary>
    private static string CreateRoot()
    {
        string root = TestPaths.NewTempDirectory("json-root");
        Directory.CreateDirectory(Path.Combine(root, "runs"));
        File.Copy(Path.Combine(TestPaths.Fixtures, "chrome", "errors.json"), Path.Combine(root, "errors.json"));
        File.Copy(Path.Combine(TestPaths.Fixtures, "otlp", "traces.json"), Path.Combine(root, "runs", "checkout.json"));
        return root;
    }

    private static async Task<JsonElement> AskAsync(TraceQueryServer server, string request) =>
        JsonDocument.Parse(await server.HandleRequestAsync(request)).RootElement.Clone();

    [TestMethod]
    public async Task Trace_JsonFilesUnderRoot_ThenResolvedByContentWithMessagesInFindingsAndEvents()
    {
        await using var server = new TraceQueryServer(Engine, new TraceQueryServerOptions { TraceRoot = CreateRoot() });
        await server.StartAsync();

        var summary = await AskAsync(server, """{"method":"narration.summary","params":{"trace":"errors.json","token_budget":800}}""");
        string text = summary.GetProperty("data").GetString()!;
        StringAssert.Contains(text, "Crash in validate (app) on thread 1");
        StringAssert.Contains(text, "Exception: \"assert\"");

        // upload's args.error is its error status, shown on its CALL; validate's error instant is an exception.
        var events = await AskAsync(server, """{"method":"events.get","params":{"trace":"errors.json","refs":["event:1:4","event:1:1"],"token_budget":400}}""");
        text = events.GetProperty("data").GetString()!;
        StringAssert.Contains(text, "event:1:4 EXCEPTION validate depth 2 in span:2 \"FormatException: bad header\"");
        StringAssert.Contains(text, "event:1:1 call upload depth 2 error-status=\"HttpRequestException: 503 Service Unavailable\"");

        var findings = await AskAsync(server, """{"method":"findings.search","params":{"trace":"runs/checkout.json","query":"payment failed","token_budget":600}}""");
        text = findings.GetProperty("data").GetString()!;
        StringAssert.Contains(text, "charge raised 1 exception");
        StringAssert.Contains(text, "Messages: \"PaymentDeclined: card expired at Charge() at Checkout()\"");
    }

    [TestMethod]
    public async Task Trace_GzippedJsonUnderRoot_ThenResolvedAndReadWithinTheServersLimit()
    {
        string root = CreateRoot();
        using (var gzip = new System.IO.Compression.GZipStream(File.Create(Path.Combine(root, "runs", "checkout.json.gz")), System.IO.Compression.CompressionLevel.Optimal))
            gzip.Write(File.ReadAllBytes(Path.Combine(TestPaths.Fixtures, "otlp", "traces.json")));

        await using (var server = new TraceQueryServer(Engine, new TraceQueryServerOptions { TraceRoot = root }))
        {
            await server.StartAsync();
            var plain = await AskAsync(server, """{"method":"findings.search","params":{"trace":"runs/checkout.json","query":"payment failed","token_budget":600}}""");
            var gzipped = await AskAsync(server, """{"method":"findings.search","params":{"trace":"runs/checkout.json.gz","query":"payment failed","token_budget":600}}""");
            StringAssert.Contains(gzipped.GetProperty("data").GetString(), "charge raised 1 exception");
            Assert.AreEqual(plain.GetProperty("data").GetString(), gzipped.GetProperty("data").GetString()!.Replace("checkout.json.gz", "checkout.json", StringComparison.Ordinal));
        }

        var limits = new TraceQueryServerOptions { TraceRoot = root, JsonReadOptions = new TraceQuery.Formats.JsonTraceReadOptions { MaxDecompressedBytes = 1000 } };
        await using (var server = new TraceQueryServer(Engine, limits))
        {
            await server.StartAsync();
            var bomb = await AskAsync(server, """{"method":"trace.info","params":{"trace":"runs/checkout.json.gz"}}""");
            Assert.AreEqual(-32000, bomb.GetProperty("error").GetProperty("code").GetInt32());
            StringAssert.Contains(bomb.GetProperty("error").GetProperty("message").GetString(), "decompresses to more than the limit of 1,000 bytes");
        }
    }

    [TestMethod]
    public async Task Trace_JsonFileOutsideRoot_ThenRefusedLikeDirectories()
    {
        string root = CreateRoot();
        string outside = TestPaths.NewTempDirectory("json-outside");
        File.Copy(Path.Combine(TestPaths.Fixtures, "chrome", "phases.json"), Path.Combine(outside, "secret.json"));
        File.CreateSymbolicLink(Path.Combine(root, "link.json"), Path.Combine(outside, "secret.json"));
        await using var server = new TraceQueryServer(Engine, new TraceQueryServerOptions { TraceRoot = root });
        await server.StartAsync();

        var linked = await AskAsync(server, """{"method":"trace.info","params":{"trace":"link.json"}}""");
        StringAssert.Contains(linked.GetProperty("error").GetProperty("message").GetString(), "through a link");
        var dotted = await AskAsync(server, """{"method":"trace.info","params":{"trace":"../secret.json"}}""");
        StringAssert.Contains(dotted.GetProperty("error").GetProperty("message").GetString(), "contains '..'");
        var missing = await AskAsync(server, """{"method":"trace.info","params":{"trace":"nope.json"}}""");
        StringAssert.Contains(missing.GetProperty("error").GetProperty("message").GetString(), "does not exist under the server's trace root");

        File.WriteAllText(Path.Combine(root, "notes.json"), """{"hello":"world"}""");
        var unknown = await AskAsync(server, """{"method":"trace.info","params":{"trace":"notes.json"}}""");
        Assert.AreEqual(-32000, unknown.GetProperty("error").GetProperty("code").GetInt32());
        StringAssert.Contains(unknown.GetProperty("error").GetProperty("message").GetString(), "not a trace this library reads");
    }
}
