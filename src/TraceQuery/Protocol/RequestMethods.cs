namespace TraceQuery.Protocol;

/// <summary>
/// The names of the methods <see cref="TraceQueryServer"/> answers, in one place (as the MCP C# SDK's
/// <c>RequestMethods</c>). Each maps onto one typed <see cref="QueryEngine"/> entry point; the same names tag the
/// engine's telemetry.
/// </summary>
public static class RequestMethods
{
    /// <summary>The trace's source, time range, counts, per-thread recovery and warnings (<see cref="QueryEngine.Info"/>).</summary>
    public const string TraceInfo = QueryOperations.Info;

    /// <summary>The events a filter selects (<see cref="QueryEngine.Query"/>).</summary>
    public const string Query = QueryOperations.Query;

    /// <summary>The narrative summary (<see cref="QueryEngine.Summarize"/>).</summary>
    public const string NarrationSummary = QueryOperations.Summary;

    /// <summary>Findings ranked for a symptom (<see cref="QueryEngine.SearchFindings"/>).</summary>
    public const string FindingsSearch = QueryOperations.Findings;

    /// <summary>Call spans by function, thread, status and duration (<see cref="QueryEngine.ListSpans"/>).</summary>
    public const string SpansList = QueryOperations.Spans;

    /// <summary>Functions ranked by one statistic (<see cref="QueryEngine.TopFunctions"/>).</summary>
    public const string StatsFunctionsTopN = QueryOperations.TopFunctions;

    /// <summary>Evidence references resolved (<see cref="QueryEngine.GetEvents"/>).</summary>
    public const string EventsGet = QueryOperations.Events;

    /// <summary>What happened around an anchor (<see cref="QueryEngine.SearchScoped(Model.ExecutionTrace, ScopedSearchRequest, CancellationToken)"/>).</summary>
    public const string SearchScoped = QueryOperations.ScopedSearch;

    /// <summary>Functions relevant to a symptom, and the sets to trace (<see cref="QueryEngine.PlanKeySymbols(Model.ExecutionTrace, KeySymbolRequest, CancellationToken)"/>).</summary>
    public const string PlanKeySymbols = QueryOperations.KeySymbols;

    /// <summary>Every method, in the order the server lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
        [TraceInfo, Query, NarrationSummary, FindingsSearch, SpansList, StatsFunctionsTopN, EventsGet, SearchScoped, PlanKeySymbols];
}
