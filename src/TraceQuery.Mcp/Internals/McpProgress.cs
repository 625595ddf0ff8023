using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TraceQuery.Protocol;

namespace TraceQuery.Mcp.Internals;

/// <summary>
/// Sends the server's stages as <c>notifications/progress</c> for the client's progress token, in order, one per report;
/// the progress value counts the notifications (so it always grows) and the message says the stage and what it did.
/// <see cref="FlushAsync"/> waits for every notification to be sent, so none arrives after the tool's result.
/// </summary>
internal sealed class McpProgress(McpServer server, ProgressToken token) : IProgress<TraceQueryProgress>
{
    private readonly Lock _gate = new();
    private Task _sent = Task.CompletedTask;
    private int _steps;

    /// <summary>A reporter for <paramref name="request"/>, or null when the client asked for no progress.</summary>
    public static McpProgress? For(RequestContext<CallToolRequestParams>? request) =>
        request?.Params?.ProgressToken is { } token ? new McpProgress(request.Server, token) : null;

    public void Report(TraceQueryProgress value)
    {
        lock (_gate)
        {
            var notification = new ProgressNotificationValue { Progress = ++_steps, Message = value.Stage + ": " + value.Message };
            _sent = _sent.ContinueWith(_ => server.NotifyProgressAsync(token, notification), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    /// <summary>Waits until every notification reported so far was handed to the transport (a failed send is not an error of the call).</summary>
    public async Task FlushAsync()
    {
        Task sent;
        lock (_gate)
            sent = _sent;
        try
        {
            await sent.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away: the result will not reach it either.
        }
    }
}
