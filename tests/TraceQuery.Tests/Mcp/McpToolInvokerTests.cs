using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using TraceQuery.Mcp.Internals;
using TraceQuery.Protocol;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Tools;

namespace TraceQuery.Tests.Mcp;

[TestClass]
public sealed class McpToolInvokerTests
{
    [TestMethod]
    public async Task Invoke_CancelledToken_ThenServerDropsTheRequestAndSaysSo()
    {
        await using var server = new TraceQueryServer(new QueryEngine(), new TraceQueryServerOptions { TraceRoot = Path.Combine(TestPaths.RepositoryRoot, "samples") });
        await server.StartAsync();
        var invoker = new McpToolInvoker(server, request: null);
        var request = new ToolRequest("narration.summary", [new("trace", "indexer"), new("token_budget", (JsonNode)600)]);

        var result = (CallToolResult)(await invoker.InvokeAsync(request, new CancellationToken(canceled: true)))!;

        Assert.IsTrue(result.IsError);
        Assert.AreEqual("Request cancelled by the client.", ((TextContentBlock)result.Content.Single()).Text);
        Assert.AreEqual(0, server.RequestsInFlight);
        Assert.AreEqual(0, server.CachedTraceCount, "a cancelled request does not read the trace");
    }
}
