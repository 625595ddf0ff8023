using TraceQuery.Analysis;
using TraceQuery.Model;

namespace TraceQuery;

/// <summary>
/// The typed entry points, one per server method: each takes a request record, answers within its token budget and is
/// measured on the meter, activity source and log under the method's name. Errors are typed:
/// <see cref="Text.QueryArgumentException"/> (names the argument), <see cref="Filtering.FilterSyntaxException"/>,
/// <see cref="Summaries.TokenBudgetException"/>.
/// </summary>
public sealed partial class QueryEngine
{
    /// <summary>The trace's source, time range, counts, per-thread recovery and warnings (server method <c>trace.info</c>).</summary>
    /// <exception cref="Text.QueryArgumentException">The cursor is malformed or the model is unknown.</exception>
    /// <exception cref="Summaries.TokenBudgetException">The budget is below this answer's minimum.</exception>
    public QueryResult Info(ExecutionTrace trace, TraceInfoRequest request, CancellationToken cancellationToken = default) =>
        Measured(QueryOperations.Info, () => AnswerInfo(trace, request, cancellationToken));

    /// <summary>The events a filter selects, in trace order, repeats folded (server method <c>trace.query</c>). O(events) for the filter.</summary>
    /// <exception cref="Filtering.FilterSyntaxException">The filter is malformed.</exception>
    /// <exception cref="Text.QueryArgumentException">The limit is below 1, the cursor is malformed or the model is unknown.</exception>
    /// <exception cref="Summaries.TokenBudgetException">The budget is below this answer's minimum.</exception>
    public QueryResult Query(ExecutionTrace trace, EventQueryRequest request, CancellationToken cancellationToken = default) =>
        Measured(QueryOperations.Query, () => AnswerQuery(trace, request, cancellationToken));

    /// <summary>
    /// The narrative summary: findings, hot functions, timeline and matching events (server method <c>narration.summary</c>;
    /// the same answer as <see cref="Process(ExecutionTrace, int, string?, QueryOptions?, string?, CancellationToken)"/>).
    /// </summary>
    /// <exception cref="Filtering.FilterSyntaxException">The filter is malformed.</exception>
    /// <exception cref="Text.QueryArgumentException">The cursor is malformed or the model is unknown.</exception>
    /// <exception cref="Summaries.TokenBudgetException">The budget is below this answer's minimum.</exception>
    public QueryResult Summarize(ExecutionTrace trace, SummaryRequest request, CancellationToken cancellationToken = default) =>
        Measured(QueryOperations.Summary, () => AnswerSummary(trace, request, cancellationToken));

    /// <summary>The analysis's findings ranked for a symptom in plain words (server method <c>findings.search</c>). Runs the full analysis.</summary>
    /// <exception cref="Text.QueryArgumentException">The limit is below 1, the cursor is malformed or the model is unknown.</exception>
    /// <exception cref="Summaries.TokenBudgetException">The budget is below this answer's minimum.</exception>
    public QueryResult SearchFindings(ExecutionTrace trace, FindingSearchRequest request, CancellationToken cancellationToken = default) =>
        Measured(QueryOperations.Findings, () => AnswerFindings(trace, request, cancellationToken));

    /// <summary>Call spans by function, thread, status and duration (server method <c>spans.list</c>). O(spans).</summary>
    /// <exception cref="Text.QueryArgumentException">The function pattern is invalid, a bound is negative, the limit is below 1, the cursor is malformed or the model is unknown.</exception>
    /// <exception cref="Summaries.TokenBudgetException">The budget is below this answer's minimum.</exception>
    public QueryResult ListSpans(ExecutionTrace trace, SpanListRequest request, CancellationToken cancellationToken = default) =>
        Measured(QueryOperations.Spans, () => AnswerSpans(trace, request, cancellationToken));

    /// <summary>The functions ranked by one statistic, with count, total, self, p50/p95/p99 and max (server method <c>stats.functionsTopN</c>).</summary>
    /// <exception cref="Filtering.FilterSyntaxException">The filter is malformed.</exception>
    /// <exception cref="Text.QueryArgumentException">The count is below 1, the cursor is malformed or the model is unknown.</exception>
    /// <exception cref="Summaries.TokenBudgetException">The budget is below this answer's minimum.</exception>
    public QueryResult TopFunctions(ExecutionTrace trace, TopFunctionsRequest request, CancellationToken cancellationToken = default) =>
        Measured(QueryOperations.TopFunctions, () => AnswerTopFunctions(trace, request, cancellationToken));

    /// <summary>Evidence references (<c>event:</c>, <c>span:</c>, <c>fn:</c>) resolved to one line each, with detail records (server method <c>events.get</c>).</summary>
    /// <exception cref="Text.QueryArgumentException">A reference does not parse or there are more than <see cref="EventLookupRequest.MaxReferences"/>; the cursor is malformed or the model is unknown.</exception>
    /// <exception cref="Summaries.TokenBudgetException">The budget is below this answer's minimum.</exception>
    public QueryResult GetEvents(ExecutionTrace trace, EventLookupRequest request, CancellationToken cancellationToken = default) =>
        Measured(QueryOperations.Events, () => AnswerEvents(trace, request, cancellationToken));

    /// <summary>
    /// What happened around an anchor (a span, an event or a time): every thread's events in a window, merged in time
    /// order (ties by thread, then sequence), the anchor marked, repeats folded with exemplar spans, detail records
    /// where the window has them (else a pointer to the nearest event that has one). Lines nearest the anchor are kept
    /// first; the cursor continues the same search further out (server method <c>search.scoped</c>).
    /// </summary>
    /// <exception cref="Text.QueryArgumentException">The anchor does not parse or does not exist (parameter <c>anchor</c>), a window is negative, the cursor is malformed, or the model is unknown.</exception>
    /// <exception cref="Filtering.FilterSyntaxException">The filter is malformed.</exception>
    /// <exception cref="Summaries.TokenBudgetException">The budget is below this answer's minimum.</exception>
    public QueryResult SearchScoped(ExecutionTrace trace, ScopedSearchRequest request, CancellationToken cancellationToken = default) =>
        Measured(QueryOperations.ScopedSearch, () => AnswerScoped(trace, request, cancellationToken));

    /// <summary>As <see cref="SearchScoped(ExecutionTrace, ScopedSearchRequest, CancellationToken)"/>, with the search given as options.</summary>
    public QueryResult SearchScoped(ExecutionTrace trace, ScopedSearchOptions options, int tokenBudget = 4096, string? cursor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SearchScoped(trace, new ScopedSearchRequest
        {
            Anchor = options.Anchor,
            LookBackNs = options.LookBackNs,
            LookAheadNs = options.LookAheadNs,
            Filter = options.Filter,
            IncludeDetail = options.IncludeDetail,
            Model = options.Model,
            TokenBudget = tokenBudget,
            Cursor = cursor,
        }, cancellationToken);
    }

    /// <summary>
    /// Ranks the trace's functions for a symptom in plain words (see <see cref="KeySymbolPlanner"/>) and renders the
    /// plan: the top functions with their reasons, then per module the set of those functions encoded by
    /// <see cref="FunctionIdSet"/> (server method <c>plan.keySymbols</c>). Runs the full analysis (for <c>in_finding</c>).
    /// </summary>
    /// <exception cref="Text.QueryArgumentException">The symptom is blank, the top count is below 1, the cursor is malformed, or the model is unknown.</exception>
    /// <exception cref="Summaries.TokenBudgetException">The budget is below this answer's minimum.</exception>
    public QueryResult PlanKeySymbols(ExecutionTrace trace, KeySymbolRequest request, CancellationToken cancellationToken = default) =>
        Measured(QueryOperations.KeySymbols, () => AnswerKeySymbols(trace, request, cancellationToken));

    /// <summary>As <see cref="PlanKeySymbols(ExecutionTrace, KeySymbolRequest, CancellationToken)"/>, with the request given as arguments.</summary>
    public QueryResult PlanKeySymbols(ExecutionTrace trace, string symptom, KeySymbolHints? hints = null, int topK = 10, int tokenBudget = 4096, string? cursor = null, string? model = null, CancellationToken cancellationToken = default) =>
        PlanKeySymbols(trace, new KeySymbolRequest { Symptom = symptom, Hints = hints, TopK = topK, TokenBudget = tokenBudget, Cursor = cursor, Model = model }, cancellationToken);
}
