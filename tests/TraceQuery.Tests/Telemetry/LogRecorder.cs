using Microsoft.Extensions.Logging;

namespace TraceQuery.Tests.Telemetry;

/// <summary>An <see cref="ILogger"/> that keeps every entry at or above <see cref="MinimumLevel"/>.</summary>
internal sealed class LogRecorder : ILogger
{
    private readonly List<(LogLevel Level, EventId Id, string Message)> _entries = [];

    public LogLevel MinimumLevel { get; init; } = LogLevel.Debug;

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries
    {
        get
        {
            lock (_entries)
                return [.. _entries];
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= MinimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
            return;
        lock (_entries)
            _entries.Add((logLevel, eventId, formatter(state, exception)));
    }
}
