using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TraceQuery.Cli;
using TraceQuery.Cli.Mcp;
using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Protocol;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Mcp;

/// <summary>
/// <c>tracequery mcp --http</c> in this process, on 127.0.0.1 and a port the system picks, talked to with the MCP SDK's
/// own HTTP client (and with plain HTTP for the refusals). Each server is stopped by the class, within a bounded time.
/// </summary>
[TestClass]
public sealed class McpHttpEndToEndTests
{
    private const string Token = "0123456789abcdef-test-token";
    private static readonly TokenCounter Counter = new("gpt-4o");
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static string _root = "";
    private static long _bigBytes;
    private static WebApplication? _open;
    private static WebApplication? _withToken;
    private static McpClient? _client;

    private static McpClient Client => _client ?? throw new InvalidOperationException("The MCP client did not connect.");

    private static Uri Endpoint => McpHost.EndpointOf(_open ?? throw new InvalidOperationException("The HTTP server did not start."));

    [ClassInitialize]
    public static async Task StartServersAsync(TestContext context)
    {
        _root = TestPaths.NewTempDirectory("mcp-http");
        McpServerEndToEndTests.CopyDirectory(Path.Combine(TestPaths.RepositoryRoot, "samples", "indexer"), Path.Combine(_root, "indexer"));
        // A large generated trace, written twice: one copy for progress (read from disk), one for cancellation.
        using (var trace = TraceGenerator.Generate(400_000))
        {
            AtfWriter.Write(trace, Path.Combine(_root, "big"));
            AtfWriter.Write(trace, Path.Combine(_root, "big-cancel"));
        }
        _bigBytes = Directory.EnumerateFiles(Path.Combine(_root, "big"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var options = new TraceQueryServerOptions { TraceRoot = _root };
        using var timeout = new CancellationTokenSource(Bound);
        _open = await McpHost.StartHttpAsync(options, Settings(token: null), verbose: false, timeout.Token);
        _withToken = await McpHost.StartHttpAsync(options, Settings(Token), verbose: false, timeout.Token);
        _client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = Endpoint, Name = "tracequery-http" }), cancellationToken: timeout.Token);
    }

    [ClassCleanup]
    public static async Task StopServersAsync()
    {
        if (_client is not null)
            await _client.DisposeAsync();
        using var timeout = new CancellationTokenSource(Bound);
        foreach (var app in new[] { _open, _withToken })
        {
            if (app is null)
                continue;
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
    }

    private static McpHttpSettings Settings(string? token) => new(new IPEndPoint(IPAddress.Loopback, 0), token, []);

    [TestMethod]
    public void StartHttp_Loopback_ThenBoundTo127001OnAPickedPort()
    {
        Assert.AreEqual("127.0.0.1", Endpoint.Host);
        Assert.AreNotEqual(0, Endpoint.Port);
        Assert.AreEqual("/mcp", Endpoint.AbsolutePath);
    }

    [TestMethod]
    public async Task ListTools_OverHttp_ThenNineToolsWithAnnotationsAndOutputSchema()
    {
        var tools = await Client.ListToolsAsync();
        Assert.AreEqual(11, tools.Count);
        foreach (var tool in tools)
        {
            Assert.IsTrue(tool.ProtocolTool.Annotations is { ReadOnlyHint: true, IdempotentHint: true }, tool.Name);
            Assert.IsNotNull(tool.ProtocolTool.OutputSchema, tool.Name);
            Assert.IsTrue(tool.ProtocolTool.InputSchema.GetProperty("properties").TryGetProperty("token_budget", out _), tool.Name);
        }
    }

    [TestMethod]
    public async Task TraceSummary_OverHttp_ThenTextAndStructuredContentWithinBudget()
    {
        var result = await Client.CallToolAsync("trace_summary", new Dictionary<string, object?> { ["trace"] = "indexer", ["token_budget"] = 600 });
        Assert.AreNotEqual(true, result.IsError);
        string text = ((TextContentBlock)result.Content.Single()).Text;
        var structured = result.StructuredContent!.Value;
        int total = Counter.CountTokens(text) + Counter.CountTokens(McpServerEndToEndTests.Compact(structured));
        Assert.AreEqual(total, structured.GetProperty("tokens_used").GetInt32());
        Assert.IsTrue(total <= 600, $"{total} tokens for a budget of 600");
        Assert.IsTrue(structured.GetProperty("did_truncate").GetBoolean());
        string cursor = structured.GetProperty("next_cursor").GetString()!;
        StringAssert.EndsWith(text.TrimEnd(), cursor);
        StringAssert.StartsWith(text, "# Trace indexer: 4,000 events");
    }

    [TestMethod]
    public async Task ResourcesList_OverHttp_ThenEveryTraceWithFormatAndSize()
    {
        var resources = await Client.ListResourcesAsync();
        CollectionAssert.AreEqual(new[] { "trace://big", "trace://big-cancel", "trace://indexer" }, resources.Select(r => r.Uri).ToArray());
        var big = resources[0].ProtocolResource;
        Assert.AreEqual("atf", big.Meta!["format"]!.GetValue<string>());
        Assert.AreEqual(_bigBytes, big.Meta!["bytes"]!.GetValue<long>());
        StringAssert.StartsWith(big.Description, $"ATF session, {_bigBytes:N0} bytes");
        var text = await Client.ReadResourceAsync("trace://indexer/span/3");
        StringAssert.Contains(((TextResourceContents)text.Contents.Single()).Text, "span:3");
    }

    [TestMethod]
    public async Task TraceSummary_WithProgressTokenOnLargeTrace_ThenEveryStageReportedInOrder()
    {
        var progress = new ProgressCollector();
        var result = await Client.CallToolAsync("trace_summary", new Dictionary<string, object?> { ["trace"] = "big", ["token_budget"] = 400 }, progress);
        Assert.AreNotEqual(true, result.IsError);
        // The client may dispatch notifications out of order (and drop one that arrives after the result): wait for one of
        // each stage's opening, then order by the progress value, which the server makes grow with every notification.
        var values = await WaitForAsync(() => progress.Values.OrderBy(v => v.Progress).ToArray(), v =>
            v.Any(x => x.Message!.StartsWith("read: reading", StringComparison.Ordinal)) && v.Any(x => x.Message!.StartsWith("read: read ", StringComparison.Ordinal))
            && v.Any(x => x.Message!.StartsWith("spans: ", StringComparison.Ordinal)) && v.Any(x => x.Message!.StartsWith("answer: answering", StringComparison.Ordinal)),
            v => string.Join(" | ", v.Select(x => x.Progress + " " + x.Message)));
        string[] messages = [.. values.Select(v => v.Message!)];
        Assert.AreEqual($"read: reading big: 0 of {_bigBytes:N0} bytes", messages[0]);
        Assert.AreEqual(1f, values[0].Progress);
        Assert.AreEqual($"read: read {_bigBytes:N0} bytes: 400,000 events", messages[1]);
        Assert.AreEqual(2f, values[1].Progress);
        string[] stages = [.. messages.Select(m => m[..m.IndexOf(':', StringComparison.Ordinal)]).Distinct()];
        CollectionAssert.AreEqual(new[] { "read", "spans", "answer" }, stages, string.Join(" | ", messages));
        Assert.AreEqual(values.Length, values.Select(v => v.Progress).Distinct().Count(), "one progress value per notification");
    }

    [TestMethod]
    public async Task TraceSummary_CancelledWhileRunning_ThenCallCancelledLeaseReleasedAndServerServes()
    {
        var server = _open!.Services.GetRequiredService<TraceQueryServer>();
        using var cancel = new CancellationTokenSource();
        // Cancelled as soon as it is sent: the client stops waiting at once, and tells the server (notifications/cancelled),
        // which drops the work wherever it is (not started, reading, or at the next stage). Where exactly depends on the
        // machine; the deterministic check of where the server stops is ServerProgressTests and McpToolInvokerTests.
        var call = Client.CallToolAsync("trace_summary", new Dictionary<string, object?> { ["trace"] = "big-cancel", ["token_budget"] = 400 }, cancellationToken: cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => call);
        // Whatever the server had started ends and releases the request's lease; the server keeps serving.
        await WaitForAsync(() => server.RequestsInFlight, n => n == 0);
        var next = await Client.CallToolAsync("trace_info", new Dictionary<string, object?> { ["trace"] = "indexer" });
        Assert.AreNotEqual(true, next.IsError);
    }

    [TestMethod]
    public async Task Post_ForeignOrigin_ThenRefusedWith403()
    {
        using var http = new HttpClient();
        using var request = Initialize(Endpoint);
        request.Headers.Add("Origin", "http://evil.example");
        using var response = await http.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
        StringAssert.StartsWith(await response.Content.ReadAsStringAsync(), "Origin 'http://evil.example' is not allowed");
    }

    [TestMethod]
    public async Task Post_LoopbackOrigin_ThenNotRefused()
    {
        using var http = new HttpClient();
        using var request = Initialize(Endpoint);
        request.Headers.Add("Origin", "http://localhost:5173");
        using var response = await http.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.OK, response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [TestMethod]
    public async Task Post_ForeignHostHeader_ThenRefusedWith403()
    {
        using var http = new HttpClient();
        using var request = Initialize(Endpoint);
        request.Headers.Host = "rebound.example";
        using var response = await http.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("Bearer wrong-token-of-some-length")]
    public async Task Post_TokenServerWithoutRightToken_ThenRefusedWith401(string? authorization)
    {
        using var http = new HttpClient();
        using var request = Initialize(McpHost.EndpointOf(_withToken!));
        if (authorization is not null)
            request.Headers.Authorization = AuthenticationHeaderValue.Parse(authorization);
        using var response = await http.SendAsync(request);
        Assert.AreEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.AreEqual("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [TestMethod]
    public async Task ListTools_TokenServerWithToken_ThenAnswers()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = McpHost.EndpointOf(_withToken!),
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + Token },
        }), cancellationToken: timeout.Token);
        Assert.AreEqual(11, (await client.ListToolsAsync(cancellationToken: timeout.Token)).Count);
    }

    [TestMethod]
    public void McpCommand_NonLoopbackWithoutToken_ThenRefusedBeforeBinding()
    {
        var error = new StringWriter();
        int exit = CliApp.Run(["mcp", "--root", _root, "--http", "0.0.0.0:0"], new StringWriter(), error);
        Assert.AreEqual(2, exit);
        StringAssert.StartsWith(error.ToString(), "error: --http 0.0.0.0:0 listens beyond this machine: give a bearer token with --token-file <path> or the TRACEQUERY_MCP_TOKEN environment variable");
    }

    [TestMethod]
    [DataRow("127.0.0.1:8080", "127.0.0.1", 8080)]
    [DataRow("[::1]:9000", "::1", 9000)]
    [DataRow("localhost:0", "127.0.0.1", 0)]
    public void ParseSettings_LoopbackAddress_ThenNoTokenNeeded(string address, string ip, int port)
    {
        var settings = McpHttpSettings.Parse(address, tokenFile: null, tokenVariable: null, []);
        Assert.AreEqual(new IPEndPoint(IPAddress.Parse(ip), port), settings.Endpoint);
        Assert.IsTrue(settings.IsLoopback);
        Assert.IsNull(settings.Token);
    }

    [TestMethod]
    [DataRow("8080", "is not <address>:<port>")]
    [DataRow("example.com:80", "is not <address>:<port>")]
    [DataRow("[::]:80", "listens beyond this machine")]
    public void ParseSettings_BadOrOpenAddress_ThenFormatExceptionSaysWhat(string address, string message)
    {
        var e = Assert.ThrowsExactly<FormatException>(() => McpHttpSettings.Parse(address, null, null, []));
        StringAssert.Contains(e.Message, message);
    }

    [TestMethod]
    public void ParseSettings_OpenAddressWithTokenVariable_ThenTokenKept()
    {
        var settings = McpHttpSettings.Parse("0.0.0.0:8080", null, " " + Token + "\n", []);
        Assert.IsFalse(settings.IsLoopback);
        Assert.AreEqual(Token, settings.Token);
        var e = Assert.ThrowsExactly<FormatException>(() => McpHttpSettings.Parse("0.0.0.0:8080", null, "short", []));
        StringAssert.Contains(e.Message, "at least 16 characters");
    }

    /// <summary>An MCP initialize request as a client's first POST.</summary>
    private static HttpRequestMessage Initialize(Uri endpoint)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    /// <summary>Reads <paramref name="read"/> until <paramref name="done"/> holds (bounded; the server works on its own threads), else fails showing the last value.</summary>
    private static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done, Func<T, string>? describe = null)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var value = read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new AssertFailedException("Waited in vain; last seen: " + (describe?.Invoke(value) ?? value?.ToString()));
            await Task.Delay(20);
        }
    }
}
