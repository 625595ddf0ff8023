using System.Collections.Concurrent;
using ModelContextProtocol;

namespace TraceQuery.Tests.Mcp;

/// <summary>Keeps every progress notification as it arrives (synchronously, unlike <see cref="Progress{T}"/>), and runs an optional action on the first.</summary>
internal sealed class ProgressCollector(Action? onFirst = null) : IProgress<ProgressNotificationValue>
{
    private int _count;

    public ConcurrentQueue<ProgressNotificationValue> Values { get; } = new();

    public void Report(ProgressNotificationValue value)
    {
        Values.Enqueue(value);
        if (Interlocked.Increment(ref _count) == 1)
            onFirst?.Invoke();
    }
}
