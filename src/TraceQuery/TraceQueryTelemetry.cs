namespace TraceQuery;

/// <summary>
/// The names under which TraceQuery reports telemetry: subscribe with OpenTelemetry
/// (<c>AddMeter(TraceQueryTelemetry.MeterName)</c>, <c>AddSource(TraceQueryTelemetry.ActivitySourceName)</c>),
/// <c>dotnet-counters monitor --counters TraceQuery</c> or a <see cref="System.Diagnostics.Metrics.MeterListener"/>.
/// Every answer of <see cref="QueryEngine"/> and of <see cref="Protocol.TraceQueryServer"/> is one query: one activity
/// and one measurement on each query instrument, tagged with <see cref="OperationTag"/>. With no listener nothing is
/// recorded or allocated beyond a timestamp per query.
/// </summary>
public static class TraceQueryTelemetry
{
    /// <summary>Name of the <see cref="System.Diagnostics.Metrics.Meter"/> (also when created through an <see cref="System.Diagnostics.Metrics.IMeterFactory"/>).</summary>
    public const string MeterName = "TraceQuery";

    /// <summary>Name of the <see cref="System.Diagnostics.ActivitySource"/> whose activities span each query.</summary>
    public const string ActivitySourceName = "TraceQuery";

    /// <summary>Tag on every measurement and activity: <c>process</c> for <see cref="QueryEngine"/> calls, else the server method (<c>trace.query</c>, …).</summary>
    public const string OperationTag = "tracequery.operation";

    /// <summary>Tag on the measurements of a failed query: the exception type, or the JSON-RPC error code for the server.</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Counter of queries answered or failed (<c>{query}</c>).</summary>
    public const string Queries = "tracequery.queries";

    /// <summary>Histogram of query latency in seconds, from the call to the answer.</summary>
    public const string QueryDuration = "tracequery.query.duration";

    /// <summary>Counter of events in the traces the queries ran over (<c>{event}</c>).</summary>
    public const string EventsScanned = "tracequery.events.scanned";

    /// <summary>Counter of events the queries' filters selected (all events of the trace without a filter).</summary>
    public const string EventsMatched = "tracequery.events.matched";

    /// <summary>Counter of tokens in the answers, by each query's model tokenizer (<c>{token}</c>).</summary>
    public const string TokensUsed = "tracequery.tokens.used";

    /// <summary>Counter of answers cut to fit their budget (the answer carries a cursor).</summary>
    public const string Truncations = "tracequery.truncations";

    /// <summary>Counter of server requests answered from a trace already loaded in the server's cache.</summary>
    public const string CacheHits = "tracequery.cache.hits";

    /// <summary>Counter of server requests that had to open their trace from disk.</summary>
    public const string CacheMisses = "tracequery.cache.misses";
}
