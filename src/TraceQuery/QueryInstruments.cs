using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TraceQuery;

/// <summary>
/// The <c>TraceQuery</c> meter's instruments and the activity source. One shared set for engines built without an
/// <see cref="IMeterFactory"/>; one set per factory otherwise (so a host's or a test's listener sees only its own).
/// </summary>
internal sealed class QueryInstruments
{
    private static readonly string? Version = typeof(QueryInstruments).Assembly.GetName().Version?.ToString();

    /// <summary>Seconds; from a sub-millisecond filter to a request timeout.</summary>
    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    public static ActivitySource ActivitySource { get; } = new(TraceQueryTelemetry.ActivitySourceName, Version);

    public static QueryInstruments Shared { get; } = new(new Meter(TraceQueryTelemetry.MeterName, Version));

    private QueryInstruments(Meter meter)
    {
        Queries = meter.CreateCounter<long>(TraceQueryTelemetry.Queries, "{query}", "Queries answered or failed.");
        Duration = meter.CreateHistogram(TraceQueryTelemetry.QueryDuration, "s", "Time from the call to the answer.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        EventsScanned = meter.CreateCounter<long>(TraceQueryTelemetry.EventsScanned, "{event}", "Events in the traces queried.");
        EventsMatched = meter.CreateCounter<long>(TraceQueryTelemetry.EventsMatched, "{event}", "Events selected by the queries' filters.");
        TokensUsed = meter.CreateCounter<long>(TraceQueryTelemetry.TokensUsed, "{token}", "Tokens in the answers, by each query's model tokenizer.");
        Truncations = meter.CreateCounter<long>(TraceQueryTelemetry.Truncations, "{query}", "Answers cut to fit their token budget.");
        CacheHits = meter.CreateCounter<long>(TraceQueryTelemetry.CacheHits, "{request}", "Server requests answered from an already loaded trace.");
        CacheMisses = meter.CreateCounter<long>(TraceQueryTelemetry.CacheMisses, "{request}", "Server requests that opened their trace from disk.");
    }

    public Counter<long> Queries { get; }

    public Histogram<double> Duration { get; }

    public Counter<long> EventsScanned { get; }

    public Counter<long> EventsMatched { get; }

    public Counter<long> TokensUsed { get; }

    public Counter<long> Truncations { get; }

    public Counter<long> CacheHits { get; }

    public Counter<long> CacheMisses { get; }

    /// <summary>The shared instruments, or a set on a meter from <paramref name="meterFactory"/> (the factory caches meters by name).</summary>
    public static QueryInstruments For(IMeterFactory? meterFactory) =>
        meterFactory is null ? Shared : new QueryInstruments(meterFactory.Create(new MeterOptions(TraceQueryTelemetry.MeterName) { Version = Version }));

    /// <summary>Starts measuring one query: an activity when someone listens, and the start time.</summary>
    public QueryScope Start(string operation)
    {
        var activity = ActivitySource.StartActivity(operation, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
            activity.SetTag(TraceQueryTelemetry.OperationTag, operation);
        return new QueryScope(this, operation, activity, Stopwatch.GetTimestamp());
    }

    /// <summary>Counts a server trace lookup as a cache hit or miss.</summary>
    public void RecordCacheLookup(bool hit)
    {
        if (hit)
            CacheHits.Add(1);
        else
            CacheMisses.Add(1);
    }
}
