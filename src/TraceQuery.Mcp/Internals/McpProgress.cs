using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TraceQuery.Protocol;

namespace TraceQuery.Mcp.Internals;

/// <summary>
/// Sends the server's stages as <c>notifications/progress</c> for the client's progress token, one per report; the progress
/// value counts the notifications (so it always grows) and the message says the stage and what it did. Each notification is
/// on its way before the work goes on: the analysis may keep every pool thread busy, and a notification queued behind it
/// would reach the client after the result, when clients drop it.
/// </summary>
internal sealed class McpProgress(McpServer server, ProgressToken token) : IProgress<TraceQueryProgress>
{
    /// <summary>Longest wait for one notification to be handed to the transport; a client that stalls longer only misses progress.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private int _steps;

    /// <summary>A reporter for <paramref name="request"/>, or null when the client asked for no progress.</summary>
    public static McpProgress? For(RequestContext<CallToolRequestParams>? request) =>
        request?.Params?.ProgressToken is { } token ? new McpProgress(request.Server, token) : null;

    public void Report(TraceQueryProgress value)
    {
        lock (_gate)
        {
            var notification = new ProgressNotificationValue { Progress = ++_steps, Message = value.Stage + ": " + value.Message };
            try
            {
                // The server reports from its worker thread, never from a synchronization context: waiting here cannot deadlock.
                _ = server.NotifyProgressAsync(token, notification).Wait(SendTimeout);
            }
            catch (AggregateException e) when (e.InnerException is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
            {
                // The client went away: the result will not reach it either.
            }
        }
    }
}
