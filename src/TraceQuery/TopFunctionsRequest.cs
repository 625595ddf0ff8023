using TraceQuery.Analysis;

namespace TraceQuery;

/// <summary>A <see cref="QueryEngine.TopFunctions"/> request: the functions ranked by one statistic, with their full statistics.</summary>
public sealed record TopFunctionsRequest : TraceRequest
{
    /// <summary>The statistic to rank by. Default <see cref="FunctionMetric.Self"/>.</summary>
    public FunctionMetric Metric { get; init; } = FunctionMetric.Self;

    /// <summary>How many functions to list (at least 1). Default 10.</summary>
    public int Count { get; init; } = 10;

    /// <summary>Only the spans this filter touches count; null or empty for the whole trace.</summary>
    public string? Filter { get; init; }
}
