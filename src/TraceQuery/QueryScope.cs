using System.Diagnostics;

namespace TraceQuery;

/// <summary>
/// One query being measured (see <see cref="QueryInstruments.Start"/>): end it with exactly one of <see cref="Complete"/>
/// or <see cref="Fail"/>, which record the measurements and stop the activity.
/// </summary>
internal readonly struct QueryScope(QueryInstruments instruments, string operation, Activity? activity, long startTimestamp)
{
    /// <summary>Wall time since the query started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(startTimestamp);

    /// <summary>Records an answered query.</summary>
    public void Complete(QueryResult result)
    {
        var tags = new TagList { { TraceQueryTelemetry.OperationTag, operation } };
        instruments.Queries.Add(1, tags);
        instruments.Duration.Record(Elapsed.TotalSeconds, tags);
        instruments.EventsScanned.Add(result.EventsProcessed, tags);
        instruments.EventsMatched.Add(result.EventsMatched, tags);
        instruments.TokensUsed.Add(result.TokenCount, tags);
        if (result.DidTruncate)
            instruments.Truncations.Add(1, tags);
        if (activity is not null)
        {
            if (activity.IsAllDataRequested)
            {
                activity.SetTag(TraceQueryTelemetry.EventsScanned, result.EventsProcessed);
                activity.SetTag(TraceQueryTelemetry.EventsMatched, result.EventsMatched);
                activity.SetTag(TraceQueryTelemetry.TokensUsed, result.TokenCount);
                activity.SetTag("tracequery.token_budget", result.TokenBudget);
                activity.SetTag("tracequery.did_truncate", result.DidTruncate);
                activity.SetTag("tracequery.model", result.Model);
            }
            activity.Dispose();
        }
    }

    /// <summary>Records a failed query; <paramref name="errorType"/> names the failure (exception type or error code).</summary>
    public void Fail(string errorType)
    {
        var tags = new TagList { { TraceQueryTelemetry.OperationTag, operation }, { TraceQueryTelemetry.ErrorTypeTag, errorType } };
        instruments.Queries.Add(1, tags);
        instruments.Duration.Record(Elapsed.TotalSeconds, tags);
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, errorType);
            activity.SetTag(TraceQueryTelemetry.ErrorTypeTag, errorType);
            activity.Dispose();
        }
    }
}
