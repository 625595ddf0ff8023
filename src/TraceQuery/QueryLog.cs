using Microsoft.Extensions.Logging;

namespace TraceQuery;

/// <summary>TraceQuery's log messages, source-generated: nothing is formatted unless the level is enabled.</summary>
internal static partial class QueryLog
{
    [LoggerMessage(EventId = 1, EventName = "QueryAnswered", Level = LogLevel.Debug,
        Message = "{Operation} answered in {ElapsedMs:0.0} ms: {EventsMatched} of {EventsScanned} events matched, {TokensUsed} of {TokenBudget} tokens, truncated: {Truncated}")]
    public static partial void QueryAnswered(ILogger logger, string operation, double elapsedMs, int eventsMatched, int eventsScanned, int tokensUsed, int tokenBudget, bool truncated);

    [LoggerMessage(EventId = 2, EventName = "QueryRejected", Level = LogLevel.Debug,
        Message = "{Operation} failed after {ElapsedMs:0.0} ms: {ErrorType}: {Reason}")]
    public static partial void QueryRejected(ILogger logger, string operation, double elapsedMs, string errorType, string reason);

    [LoggerMessage(EventId = 3, EventName = "InternalError", Level = LogLevel.Warning,
        Message = "{Operation} failed with an internal error: {Reason}")]
    public static partial void InternalError(ILogger logger, string operation, string reason);
}
