using TraceQuery.Model;

namespace TraceQuery.Analysis;

/// <summary>
/// The words answers, filters and exports use for kinds, statuses and severities, in one place so a Parquet lake,
/// a fleet answer and a filter say the same thing: <c>call</c>/<c>return</c>/<c>exception</c>,
/// <c>complete</c>/<c>unmatched</c>/<c>unwound</c>/<c>orphan</c>, <c>crash</c>/<c>hang</c>/…, <c>critical</c>/…/<c>info</c>.
/// </summary>
public static class AnswerWords
{
    /// <summary>An event kind as the filter language writes it (<c>kind:call</c>): <c>call</c>, <c>return</c> or <c>exception</c>.</summary>
    public static string Of(EventKind kind) => kind switch
    {
        EventKind.Call => "call",
        EventKind.Return => "return",
        EventKind.Exception => "exception",
        _ => "unknown",
    };

    /// <summary>A span status as the filter language writes it (<c>status:unwound</c>).</summary>
    public static string Of(SpanStatus status) => status switch
    {
        SpanStatus.Complete => "complete",
        SpanStatus.Unmatched => "unmatched",
        SpanStatus.Unwound => "unwound",
        SpanStatus.Error => "error",
        _ => "orphan",
    };

    /// <summary>A finding kind in snake case: <c>crash</c>, <c>exception</c>, <c>hang</c>, <c>latency_outlier</c>, <c>leak_imbalance</c>, <c>unmatched_spans</c>, <c>hot_spot</c>, <c>error</c>, <c>latency_stage</c>.</summary>
    public static string Of(FindingKind kind) => kind switch
    {
        FindingKind.Crash => "crash",
        FindingKind.Exception => "exception",
        FindingKind.Hang => "hang",
        FindingKind.LatencyOutlier => "latency_outlier",
        FindingKind.LeakImbalance => "leak_imbalance",
        FindingKind.UnmatchedSpans => "unmatched_spans",
        FindingKind.Error => "error",
        FindingKind.LatencyStage => "latency_stage",
        _ => "hot_spot",
    };

    /// <summary>A severity as summaries print it in brackets: <c>critical</c>, <c>high</c>, <c>medium</c>, <c>low</c>, <c>info</c>.</summary>
    public static string Of(Severity severity) => severity switch
    {
        Severity.Critical => "critical",
        Severity.High => "high",
        Severity.Medium => "medium",
        Severity.Low => "low",
        _ => "info",
    };
}
