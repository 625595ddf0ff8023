namespace TraceQuery.Tools;

/// <summary>
/// How one agent surface answers a tool call: it sends the <see cref="ToolRequest"/> to the server and returns what
/// that surface hands back (a <c>CallToolResult</c> for MCP, the answer's text for an AI function).
/// </summary>
internal interface IToolInvoker
{
    /// <summary>Answers <paramref name="request"/>; errors of the request come back as the surface's error form, not as exceptions.</summary>
    Task<object?> InvokeAsync(ToolRequest request, CancellationToken cancellationToken);
}
