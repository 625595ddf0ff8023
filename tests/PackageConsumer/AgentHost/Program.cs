// A host that references TraceQuery.Mcp and TraceQuery.AI as NuGet packages, as a user's service would: its own MCP
// server, with a tool of its own, adds the TraceQuery tools (WithTraceQueryTools) and is called by the SDK's client
// over in-memory pipes; then the same tools as Microsoft.Extensions.AI functions. One line of figures for .ci/package-consumer.
using System.IO.Pipelines;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TraceQuery;
using TraceQuery.AI;
using TraceQuery.Mcp;
using TraceQuery.Protocol;

if (args.Length != 2 || !int.TryParse(args[1], out int budget))
{
    Console.Error.WriteLine("usage: AgentHost <trace root> <token budget>");
    return 2;
}
string root = Path.GetFullPath(args[0]);

var toServer = new Pipe();
var toClient = new Pipe();
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Services.AddMcpServer()
    .WithStreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream())
    .WithTools([McpServerTool.Create((string text) => "echo " + text, new McpServerToolCreateOptions { Name = "echo" })])
    .WithTraceQueryTools(new TraceQueryMcpOptions { Server = new TraceQueryServerOptions { TraceRoot = root } });
using var host = builder.Build();
await host.StartAsync();

await using (var client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream())))
{
    var tools = await client.ListToolsAsync();
    var resources = await client.ListResourcesAsync();
    var result = await client.CallToolAsync("trace_summary", new Dictionary<string, object?> { ["trace"] = "indexer", ["token_budget"] = budget });
    Console.WriteLine(((TextContentBlock)result.Content[0]).Text);
    int used = result.StructuredContent?.GetProperty("tokens_used").GetInt32() ?? -1;

    await using var functions = TraceQueryFunctions.Create(new QueryEngine(), root);
    var info = await functions.Single(f => f.Name == "trace_info").InvokeAsync(new AIFunctionArguments { ["trace"] = "indexer" });
    Console.WriteLine($"agent-host: tools={tools.Count} resources={resources.Count} tokens_used={used} budget={budget} functions={functions.Count} info={(info as string)?.Split('\n')[0]}");
    await host.StopAsync();
    return used > 0 && used <= budget ? 0 : 1;
}
