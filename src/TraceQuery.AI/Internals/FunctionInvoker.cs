using TraceQuery.Protocol;
using TraceQuery.Tools;

namespace TraceQuery.AI.Internals;

/// <summary>The AI-function surface: the answer's text as the server wrote it, a clamped budget noted after it, an error as "Error: " and the server's message.</summary>
internal sealed class FunctionInvoker(TraceQueryServer server) : IToolInvoker
{
    public async Task<object?> InvokeAsync(ToolRequest request, CancellationToken cancellationToken)
    {
        var reply = await ServerCall.SendAsync(server, request.Method, request.Parameters, cancellationToken).ConfigureAwait(false);
        if (reply.IsError)
            return "Error: " + reply.Text;
        return reply.BudgetNote is { } note ? reply.Text + "\n\nNote: " + note + "." : reply.Text;
    }
}
