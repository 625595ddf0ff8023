using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Text;

namespace TraceQuery;

/// <summary>
/// The façade: filter → analysis → budgeted summary. Give it a trace, an optional filter and a token
/// budget; get back the most useful text that fits, counted by the target model's tokenizer, with the
/// findings and a cursor when more remains. Thread-safe; tokenizers are created once and shared.
/// Each call is measured on the <c>TraceQuery</c> meter and activity source (<see cref="TraceQueryTelemetry"/>).
/// The whole trace's analysis is computed on the first question that needs it and shared per trace (and per analyzer
/// options) by every later one, like the trace's spans; it is released with the trace.
/// Every server method has a typed entry point here (<see cref="Info"/>, <see cref="Query"/>, <see cref="Summarize"/>,
/// <see cref="SearchFindings"/>, <see cref="ListSpans"/>, <see cref="TopFunctions"/>, <see cref="GetEvents"/>,
/// <see cref="SearchScoped(ExecutionTrace, ScopedSearchRequest, CancellationToken)"/>,
/// <see cref="PlanKeySymbols(ExecutionTrace, KeySymbolRequest, CancellationToken)"/>): a host gets the same text
/// without JSON.
/// </summary>
public sealed partial class QueryEngine
{
    private readonly ITokenCounter _tokenCounter;

    /// <summary>Creates an engine.</summary>
    /// <param name="analyzer">The analysis behind the summaries; null for the defaults.</param>
    /// <param name="tokenCounter">Counts tokens unless a request names another model; null for <c>gpt-4o</c>.</param>
    /// <param name="logger">Receives a Debug line per answered or failed query; null logs nothing.</param>
    /// <param name="meterFactory">Creates the <c>TraceQuery</c> meter (a DI host's factory); null uses one process-wide meter.</param>
    public QueryEngine(Analyzer? analyzer = null, ITokenCounter? tokenCounter = null, ILogger? logger = null, IMeterFactory? meterFactory = null)
    {
        Analyzer = analyzer ?? new Analyzer();
        _tokenCounter = tokenCounter ?? new TokenCounter("gpt-4o");
        Logger = logger ?? NullLogger.Instance;
        Instruments = QueryInstruments.For(meterFactory);
    }

    /// <summary>The analyzer behind the summaries.</summary>
    public Analyzer Analyzer { get; }

    /// <summary>The default token counter.</summary>
    public ITokenCounter TokenCounter => _tokenCounter;

    /// <summary>
    /// Answers a query over a loaded trace within <paramref name="tokenBudget"/> tokens.
    /// </summary>
    /// <param name="events">The loaded trace.</param>
    /// <param name="tokenBudget">Largest token count of the summary.</param>
    /// <param name="filter">Filter text (see the README's grammar); null or empty for the whole trace.</param>
    /// <param name="options">Per-query options.</param>
    /// <param name="cursor">The <see cref="QueryResult.NextCursor"/> of the previous page, to continue.</param>
    /// <exception cref="FilterSyntaxException">The filter is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The budget is below the minimum for this trace and query; the message gives it.</exception>
    /// <exception cref="ArgumentException">The cursor is malformed or belongs to another trace or query, or the model is unknown.</exception>
    /// <param name="cancellationToken">Checked between the filter, analysis and fitting stages.</param>
    public QueryResult Process(ExecutionTrace events, int tokenBudget = 4096, string? filter = null, QueryOptions? options = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        Measured(events, tokenBudget, filter, options, cursor, cancellationToken);

    /// <summary>Answers a query over raw events (one trace is built from them, with <paramref name="symbols"/> for names).</summary>
    public QueryResult Process(ReadOnlySpan<TraceEvent> events, int tokenBudget = 4096, SymbolTable? symbols = null, string? filter = null, QueryOptions? options = null, string? cursor = null)
    {
        var builder = new TraceBuilder();
        if (symbols is not null)
        {
            foreach (var module in symbols.Modules)
                builder.AddModule(module);
            foreach (var symbol in symbols.Symbols)
                builder.AddSymbol(symbol);
        }
        foreach (ref readonly var e in events)
            builder.Add(e);
        using var trace = builder.Build();
        return Measured(trace, tokenBudget, filter, options, cursor, CancellationToken.None);
    }

    /// <summary>As <see cref="Process(ExecutionTrace, int, string?, QueryOptions?, string?, CancellationToken)"/>, off the calling thread, honouring cancellation during the scans.</summary>
    public Task<QueryResult> ProcessAsync(ExecutionTrace events, int tokenBudget = 4096, string? filter = null, QueryOptions? options = null, string? cursor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        return Task.Run(() => Measured(events, tokenBudget, filter, options, cursor, cancellationToken), cancellationToken);
    }

    /// <summary>The instruments this engine's queries (and a server over it) record on.</summary>
    internal QueryInstruments Instruments { get; }

    /// <summary>Where this engine logs; <see cref="NullLogger.Instance"/> when none was given.</summary>
    internal ILogger Logger { get; }

    private QueryResult Measured(ExecutionTrace trace, int tokenBudget, string? filterText, QueryOptions? options, string? cursorText, CancellationToken cancellationToken) =>
        Measured(QueryOperations.Process, () => Run(trace, tokenBudget, filterText, options, cursorText, cancellationToken));

    /// <summary>Runs one query of <paramref name="operation"/> on the meter, the activity source and the log.</summary>
    internal QueryResult Measured(string operation, Func<QueryResult> query)
    {
        var scope = Instruments.Start(operation);
        QueryResult result;
        try
        {
            result = query();
        }
        catch (Exception e)
        {
            string errorType = e.GetType().FullName ?? e.GetType().Name;
            scope.Fail(errorType);
            QueryLog.QueryRejected(Logger, operation, scope.Elapsed.TotalMilliseconds, errorType, e.Message);
            throw;
        }
        scope.Complete(result);
        QueryLog.QueryAnswered(Logger, operation, result.Elapsed.TotalMilliseconds, result.EventsMatched, result.EventsProcessed, result.TokenCount, result.TokenBudget, result.DidTruncate);
        return result;
    }

    internal QueryResult Run(ExecutionTrace trace, int tokenBudget, string? filterText, QueryOptions? options, string? cursorText, CancellationToken cancellationToken)
    {
        options ??= QueryOptions.Default;
        return AnswerSummary(trace, new SummaryRequest
        {
            TokenBudget = tokenBudget,
            Cursor = cursorText,
            Model = options.Model,
            Filter = filterText,
            MaxFindings = options.MaxFindings,
            IncludeTimeline = options.IncludeTimeline,
        }, cancellationToken);
    }

    /// <summary>The token counter a query uses: the engine's, or one for the model the request names.</summary>
    /// <exception cref="QueryArgumentException">The model is unknown (parameter <c>model</c>).</exception>
    internal ITokenCounter CounterFor(string? model)
    {
        if (model is null || string.Equals(model, _tokenCounter.Model, StringComparison.OrdinalIgnoreCase))
            return _tokenCounter;
        return Summaries.TokenCounter.IsSupported(model) ? new TokenCounter(model) : throw new QueryArgumentException("model", Summaries.TokenCounter.UnknownModel(model));
    }

    /// <summary>Fits an answer's lines into one page of the request's budget and wraps it as the result.</summary>
    private static QueryResult Page(ExecutionTrace trace, TraceRequest request, ITokenCounter counter, AnswerLines lines, long started, CancellationToken cancellationToken)
    {
        var page = PageFitter.Fit(trace, counter, lines, request.TokenBudget, request.Cursor, cancellationToken);
        return new QueryResult(
            page.Text,
            page.TokenCount,
            request.TokenBudget,
            counter.Model,
            trace.EventCount,
            lines.Matched,
            lines.Findings,
            page.Truncated,
            page.NextCursor,
            System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    private static Dictionary<SummaryItemKind, long> SummaryTotals(AnalysisResult analysis, Selection selection, bool filtered, SummaryRequest options)
    {
        long functions = Math.Min(12, analysis.Functions.Count);
        long timeline = options.IncludeTimeline && selection.Count > 0 ? 10 : 0;
        return new Dictionary<SummaryItemKind, long>
        {
            [SummaryItemKind.Finding] = Math.Min(options.MaxFindings, analysis.Findings.Count),
            [SummaryItemKind.Function] = functions,
            [SummaryItemKind.Timeline] = timeline,
            [SummaryItemKind.Event] = filtered ? selection.Count : 0,
        };
    }

    // The answers behind the typed entry points (QueryEngine.Methods.cs), unmeasured: the server measures each request itself.
    internal QueryResult AnswerInfo(ExecutionTrace trace, TraceInfoRequest request, CancellationToken cancellationToken)
    {
        var (counter, started) = Begin(trace, request);
        string name = request.TraceName
            ?? (trace.Metadata.SourcePath is { } path ? Path.GetFileName(Path.TrimEndingDirectorySeparator(path)) : trace.Metadata.SourceFormat);
        return Page(trace, request, counter, TraceInfoLines.Build(trace, name), started, cancellationToken);
    }

    internal QueryResult AnswerQuery(ExecutionTrace trace, EventQueryRequest request, CancellationToken cancellationToken)
    {
        var (counter, started) = Begin(trace, request);
        if (request.Limit is < 1)
            throw new QueryArgumentException("limit", $"The limit must be at least 1, not {request.Limit}.");
        var filter = ParseFilter(request.Filter);
        var selection = filter.Evaluate(trace);
        cancellationToken.ThrowIfCancellationRequested();
        bool full = request.Projection == EventProjection.Full;
        var lines = EventListLines.Build(trace, filter, selection, full, request.Limit ?? int.MaxValue, full ? "full" : "minimal");
        return Page(trace, request, counter, lines, started, cancellationToken);
    }

    internal QueryResult AnswerSummary(ExecutionTrace trace, SummaryRequest request, CancellationToken cancellationToken)
    {
        var (counter, started) = Begin(trace, request);
        ArgumentOutOfRangeException.ThrowIfNegative(request.MaxFindings);
        var filter = ParseFilter(request.Filter);
        cancellationToken.ThrowIfCancellationRequested();
        var selection = filter.Evaluate(trace);
        cancellationToken.ThrowIfCancellationRequested();
        bool filtered = filter.Root is not AllNode;
        // The whole trace's timeline and whole-trace lines depend on nothing the request says: shared per trace like its
        // analysis; on a first request the timeline is computed in the background while the analysis runs (it reads only
        // the event columns).
        Func<IReadOnlyList<string>>? timelineOf = null;
        Func<NarrativeBuilder.WholeTraceLines>? wholeTraceOf = null;
        if (!filtered && ShareAnalysis)
        {
            wholeTraceOf = () => TraceMemo.Get(trace, nameof(NarrativeBuilder.WholeTrace), _ => NarrativeBuilder.WholeTrace(trace), cancellationToken);
            Func<CancellationToken, string[]> timeline = _ => NarrativeBuilder.Timeline(trace, selection).ToArray();
            if (request.IncludeTimeline)
                TraceMemo.Prefetch(trace, nameof(NarrativeBuilder.Timeline), timeline);
            timelineOf = () => TraceMemo.Get(trace, nameof(NarrativeBuilder.Timeline), timeline, cancellationToken);
        }
        var analysis = filtered ? Analyzer.Analyze(trace, selection, cancellationToken) : AnalyzeWhole(trace, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        // So do the whole trace's exemplars.
        Func<IReadOnlyList<FunctionStats>, SpanExemplars?[]>? exemplarsOf = null;
        if (!filtered && ShareAnalysis)
            exemplarsOf = top => WholeTraceExemplars(trace, analysis, top, cancellationToken);
        var lines = new AnswerLines(
            NarrativeBuilder.Headline(trace, filter, selection, analysis),
            NarrativeBuilder.Items(trace, selection, analysis, filtered, request.IncludeTimeline, request.MaxFindings, exemplarsOf, timelineOf, filter, wholeTraceOf),
            SummaryTotals(analysis, selection, filtered, request),
            $"summary|{filter.Canonical}|{request.MaxFindings}|{request.IncludeTimeline}",
            selection.Count,
            analysis.Findings);
        return Page(trace, request, counter, lines, started, cancellationToken);
    }

    internal QueryResult AnswerFindings(ExecutionTrace trace, FindingSearchRequest request, CancellationToken cancellationToken)
    {
        var (counter, started) = Begin(trace, request);
        ArgumentNullException.ThrowIfNull(request.Symptom, nameof(request.Symptom));
        if (request.Limit < 1)
            throw new QueryArgumentException("limit", $"The limit must be at least 1, not {request.Limit}.");
        var analysis = AnalyzeWhole(trace, cancellationToken);
        var words = FindingRanker.Words(request.Symptom);
        var ranked = FindingRanker.Rank(trace, analysis.Findings, words, request.Limit);
        var lines = FindingLines.Build(trace, analysis.Findings, ranked, request.Symptom, words, request.Limit);
        return Page(trace, request, counter, lines, started, cancellationToken);
    }

    internal QueryResult AnswerSpans(ExecutionTrace trace, SpanListRequest request, CancellationToken cancellationToken)
    {
        var (counter, started) = Begin(trace, request);
        if (request.Limit is < 1)
            throw new QueryArgumentException("limit", $"The limit must be at least 1, not {request.Limit}.");
        if (request.MinDurationNs is < 0)
            throw new QueryArgumentException("min_duration", $"The minimum duration must be zero or more nanoseconds, not {request.MinDurationNs}.");
        if (request.MaxDurationNs is < 0)
            throw new QueryArgumentException("max_duration", $"The maximum duration must be zero or more nanoseconds, not {request.MaxDurationNs}.");
        int limit = request.Limit ?? int.MaxValue;
        long min = request.MinDurationNs ?? 0, max = request.MaxDurationNs ?? long.MaxValue;
        var functions = request.Function is null ? null : SpanSelector.MatchFunctions(trace, request.Function);
        var spans = SpanSelector.Select(trace, new SpanCriteria(functions, request.ThreadId, request.Status, min, max), limit, cancellationToken);
        string status = request.Status switch
        {
            null => "",
            SpanStatus.OrphanReturn => "orphan",
            { } s => TraceText.Status(s),
        };
        string query = $"spans|{request.Function}|{request.ThreadId}|{min}|{max}|{status}|{limit}";
        return Page(trace, request, counter, SpanListLines.Build(trace, spans, limit, query), started, cancellationToken);
    }

    internal QueryResult AnswerTopFunctions(ExecutionTrace trace, TopFunctionsRequest request, CancellationToken cancellationToken)
    {
        var (counter, started) = Begin(trace, request);
        if (request.Count < 1)
            throw new QueryArgumentException("n", $"The count must be at least 1, not {request.Count}.");
        var filter = ParseFilter(request.Filter);
        var selection = filter.Root is AllNode ? null : filter.Evaluate(trace);
        var stats = selection is null && ShareAnalysis
            ? Analyzer.ComputeFunctionStatsShared(trace, cancellationToken)
            : Analyzer.ComputeFunctionStats(trace, selection, cancellationToken);
        var top = Analyzer.TopFunctions(stats, request.Metric, request.Count);
        string metric = request.Metric.ToString().ToLowerInvariant();
        SampledProfile? sampled = null;
        if (trace.Samples.Count > 0)
            sampled = selection is null ? SampledProfile.Shared(trace, cancellationToken) : SampledProfile.Compute(trace, null, SampleFilter.Evaluate(filter, trace));
        var lines = FunctionTableLines.Build(top, stats.Count, metric, $"top|{metric}|{request.Count}|{filter.Canonical}", selection?.Count ?? trace.EventCount,
            sampled, request.Metric, request.Count);
        return Page(trace, request, counter, lines, started, cancellationToken);
    }

    internal QueryResult AnswerEvents(ExecutionTrace trace, EventLookupRequest request, CancellationToken cancellationToken)
    {
        var (counter, started) = Begin(trace, request);
        var texts = request.References;
        ArgumentNullException.ThrowIfNull(texts, nameof(request.References));
        if (texts.Count > EventLookupRequest.MaxReferences)
            throw new QueryArgumentException("refs", $"holds {texts.Count} references; at most 1,000 per request.");
        var references = new List<EvidenceRef>(texts.Count);
        foreach (string text in texts)
        {
            if (!EvidenceRef.TryParse(text, out var reference))
                throw new QueryArgumentException("refs", $"holds '{text}', which is not event:<thread>:<seq>, span:<id>, fn:0x<hex>, sample:<index> or stack:<id>.");
            references.Add(reference);
        }
        return Page(trace, request, counter, ReferenceLines.Build(trace, texts, references, request.IncludeDetail), started, cancellationToken);
    }

    internal QueryResult AnswerScoped(ExecutionTrace trace, ScopedSearchRequest request, CancellationToken cancellationToken)
    {
        var (counter, started) = Begin(trace, request);
        var filter = ParseFilter(request.Filter);
        var selection = filter.Root is AllNode ? null : filter.Evaluate(trace);
        var window = new ScopedWindow(request.Anchor, request.LookBackNs, request.LookAheadNs, request.IncludeDetail);
        var samples = selection is not null && trace.Samples.Count > 0 ? SampleFilter.Evaluate(filter, trace) : null;
        var lines = ScopedNeighbourhood.Build(trace, window, selection, filter.Canonical, cancellationToken, samples);
        return Page(trace, request, counter, lines, started, cancellationToken);
    }

    internal QueryResult AnswerKeySymbols(ExecutionTrace trace, KeySymbolRequest request, CancellationToken cancellationToken)
    {
        var (counter, started) = Begin(trace, request);
        if (string.IsNullOrWhiteSpace(request.Symptom))
            throw new QueryArgumentException("symptom", "A symptom is required: describe the problem in plain words, e.g. \"hang when saving the journal\".");
        if (request.TopK < 1)
            throw new QueryArgumentException("top_k", $"top_k must be at least 1, not {request.TopK}.");
        var hints = request.Hints ?? KeySymbolHints.None;
        var analysis = AnalyzeWhole(trace, cancellationToken);
        var plan = KeySymbolPlanner.Plan(trace, analysis, request.Symptom, hints, request.TopK);
        var (headline, items, totals) = KeySymbolLines.Render(trace, plan);
        string query = $"plan|{request.Symptom}|{string.Join(',', hints.Modules)}|{string.Join(',', hints.Functions)}|{string.Join(',', hints.Files)}|{request.TopK}";
        return Page(trace, request, counter, new AnswerLines(headline, items, totals, query, trace.EventCount, analysis.Findings), started, cancellationToken);
    }

    /// <summary>
    /// Whether the whole trace's analysis, function statistics, exemplars and timeline are computed once per trace and
    /// shared by later requests (<see cref="TraceMemo"/>); true by default. Tests turn it off for the uncached reference.
    /// </summary>
    internal bool ShareAnalysis { get; init; } = true;

    /// <summary>The unfiltered analysis: shared per trace and analyzer options, or computed afresh when sharing is off.</summary>
    private AnalysisResult AnalyzeWhole(ExecutionTrace trace, CancellationToken cancellationToken) =>
        ShareAnalysis ? Analyzer.AnalyzeShared(trace, cancellationToken) : Analyzer.Analyze(trace, null, cancellationToken);

    /// <summary>
    /// Exemplars of <paramref name="top"/> picked from those of every function of the whole trace, computed once per trace:
    /// a function's exemplars depend only on its own spans and statistics, which no analyzer option changes.
    /// </summary>
    private static SpanExemplars?[] WholeTraceExemplars(ExecutionTrace trace, AnalysisResult analysis, IReadOnlyList<FunctionStats> top, CancellationToken cancellationToken)
    {
        var byOrdinal = TraceMemo.Get(trace, nameof(SpanExemplars), _ =>
        {
            var all = SpanExemplars.ForFunctions(trace, analysis.Functions);
            var result = new SpanExemplars?[trace.FunctionIds.Length];
            for (int i = 0; i < all.Length; i++)
                result[analysis.Functions[i].Ordinal] = all[i];
            return result;
        }, cancellationToken);
        var picked = new SpanExemplars?[top.Count];
        for (int i = 0; i < picked.Length; i++)
            picked[i] = byOrdinal[top[i].Ordinal];
        return picked;
    }

    /// <summary>Checks what every request needs and starts the clock; the counter first, so an unknown model fails before any scan.</summary>
    private (ITokenCounter Counter, long Started) Begin(ExecutionTrace trace, TraceRequest request)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(request);
        return Begin(request.TokenBudget, request.Model);
    }

    /// <summary>Checks the budget and starts the clock; the counter first, so an unknown model fails before any scan.</summary>
    private (ITokenCounter Counter, long Started) Begin(int tokenBudget, string? model)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokenBudget, nameof(tokenBudget));
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        return (CounterFor(model), started);
    }

    private static EventFilter ParseFilter(string? text) =>
        string.IsNullOrWhiteSpace(text) ? EventFilter.All : EventFilter.Parse(text);
}
