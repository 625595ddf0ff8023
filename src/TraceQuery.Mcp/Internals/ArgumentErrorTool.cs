using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TraceQuery.Mcp.Internals;

/// <summary>
/// Arguments the SDK cannot bind (a missing required one, a wrong JSON type) would otherwise come back as a bare "An error
/// occurred": this says what is wrong so the model can correct the call. Only around TraceQuery's tools, never the host's.
/// </summary>
internal sealed class ArgumentErrorTool(McpServerTool inner) : DelegatingMcpServerTool(inner)
{
    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.InvokeAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or JsonException)
        {
            return new CallToolResult
            {
                IsError = true,
                Content = [new TextContentBlock { Text = $"Invalid arguments for {ProtocolTool.Name}: {e.Message.Split(" (Parameter")[0]} See the tool's input schema." }],
            };
        }
    }
}
