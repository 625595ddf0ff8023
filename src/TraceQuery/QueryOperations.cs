namespace TraceQuery;

/// <summary>
/// The names of the engine's operations, as they appear on the <c>TraceQuery</c> meter, activity source and log, and as
/// the protocol's method names (the server's method constants are these).
/// </summary>
internal static class QueryOperations
{
    public const string Process = "process";
    public const string Info = "trace.info";
    public const string Query = "trace.query";
    public const string Summary = "narration.summary";
    public const string Findings = "findings.search";
    public const string Spans = "spans.list";
    public const string TopFunctions = "stats.functionsTopN";
    public const string Events = "events.get";
    public const string ScopedSearch = "search.scoped";
    public const string KeySymbols = "plan.keySymbols";
}
