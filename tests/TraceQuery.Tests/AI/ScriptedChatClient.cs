using Microsoft.Extensions.AI;

namespace TraceQuery.Tests.AI;

/// <summary>
/// A chat client that plays a script instead of a model: each turn gets the conversation so far and returns the next
/// message (function calls, or a final text). Records every conversation it was shown.
/// </summary>
internal sealed class ScriptedChatClient(params Func<IReadOnlyList<ChatMessage>, ChatMessage>[] turns) : IChatClient
{
    private int _turn;

    public List<IReadOnlyList<ChatMessage>> Seen { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var conversation = messages.ToList();
        Seen.Add(conversation);
        if (_turn >= turns.Length)
            throw new InvalidOperationException($"The script has {turns.Length} turns; turn {_turn + 1} was asked for.");
        return Task.FromResult(new ChatResponse(turns[_turn++](conversation)));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The scripted client answers whole responses only.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
