using System.Diagnostics.Metrics;
using System.IO.Hashing;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Internals;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Summaries.Internals;
using TraceQuery.Text;

namespace TraceQuery;

/// <summary>
/// The façade: filter → analysis → budgeted summary. Give it a trace, an optional filter and a token
/// budget; get back the most useful text that fits, counted by the target model's tokenizer, with the
/// findings and a cursor when more remains. Thread-safe; tokenizers are created once and shared.
/// Each call is measured on the <c>TraceQuery</c> meter and activity source (<see cref="TraceQueryTelemetry"/>).
/// </summary>
public sealed partial class QueryEngine
{
    private const string ProcessOperation = "process";

    private readonly ITokenCounter _tokenCounter;

    /// <summary>Creates an engine. Tokens are counted with <paramref name="analyzer"/>'s counter, else for <c>gpt-4o</c>.</summary>
    /// <param name="analyzer">The analysis behind the summaries; null for the defaults.</param>
    /// <param name="logger">Receives a Debug line per answered or failed query; null logs nothing.</param>
    /// <param name="meterFactory">Creates the <c>TraceQuery</c> meter (a DI host's factory); null uses one process-wide meter.</param>
    public QueryEngine(Analyzer? analyzer = null, ILogger? logger = null, IMeterFactory? meterFactory = null)
    {
        Analyzer = analyzer ?? new Analyzer();
        _tokenCounter = Analyzer.TokenCounter ?? new TokenCounter("gpt-4o");
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
        Measured(ProcessOperation, () => Run(trace, tokenBudget, filterText, options, cursorText, cancellationToken));

    /// <summary>Runs one query of <paramref name="operation"/> on the meter, the activity source and the log.</summary>
    private QueryResult Measured(string operation, Func<QueryResult> query)
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
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokenBudget);
        options ??= QueryOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxFindings);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var counter = CounterFor(options.Model);

        var filter = string.IsNullOrWhiteSpace(filterText) ? EventFilter.All : EventFilter.Parse(filterText);
        cancellationToken.ThrowIfCancellationRequested();
        var selection = filter.Evaluate(trace);
        cancellationToken.ThrowIfCancellationRequested();
        bool filtered = filter.Root is not AllNode;
        var analysis = Analyzer.Analyze(trace, filtered ? selection : null, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        string headline = NarrativeBuilder.Headline(trace, filter, selection, analysis);
        var items = NarrativeBuilder.Items(trace, selection, analysis, filtered, options.IncludeTimeline, options.MaxFindings);
        var totals = Totals(analysis, selection, filtered, options);
        string query = $"summary|{filter.Canonical}|{options.MaxFindings}|{options.IncludeTimeline}";
        return FitPage(trace, counter, headline, items, totals, tokenBudget, cursorText, query, selection.Count, analysis.Findings, started, cancellationToken);
    }

    /// <summary>
    /// What happened around an anchor (a span, an event or a time): every thread's events in a window, merged in time
    /// order (ties by thread, then sequence), the anchor marked, repeats folded with exemplar spans, detail records
    /// where the window has them (else a pointer to the nearest event that has one), within <paramref name="tokenBudget"/>.
    /// Lines nearest the anchor are kept first; <paramref name="cursor"/> (the previous page's <see cref="QueryResult.NextCursor"/>)
    /// continues the same search further out.
    /// </summary>
    /// <exception cref="ArgumentException">The anchor does not parse or does not exist (parameter name <c>anchor</c>), the cursor is malformed, or the model is unknown.</exception>
    /// <exception cref="FilterSyntaxException">The filter is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The budget is below the minimum for this answer.</exception>
    public QueryResult SearchScoped(ExecutionTrace trace, ScopedSearchOptions options, int tokenBudget = 4096, string? cursor = null, CancellationToken cancellationToken = default) =>
        Measured("search.scoped", () => RunSearchScoped(trace, options, tokenBudget, cursor, cancellationToken));

    /// <summary><see cref="SearchScoped"/> without measuring (the server measures its requests itself).</summary>
    internal QueryResult RunSearchScoped(ExecutionTrace trace, ScopedSearchOptions options, int tokenBudget, string? cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokenBudget);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var counter = CounterFor(options.Model);
        var lines = ScopedNeighbourhood.Build(trace, options, cancellationToken);
        return FitPage(trace, counter, lines.Headline, lines.Items, lines.Totals, tokenBudget, cursor, lines.Query, lines.Matched, [], started, cancellationToken);
    }

    /// <summary>
    /// Ranks the trace's functions for a symptom in plain words (see <see cref="KeySymbolPlanner"/>) and renders the
    /// plan within <paramref name="tokenBudget"/>: the top functions with their reasons, then per module the set of
    /// those functions encoded by <see cref="FunctionIdSet"/>. Runs the full analysis (for <c>in_finding</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The symptom is empty, the cursor is malformed, or the model is unknown.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topK"/> is not positive, or the budget is below the minimum for this answer.</exception>
    public QueryResult PlanKeySymbols(ExecutionTrace trace, string symptom, KeySymbolHints? hints = null, int topK = 10, int tokenBudget = 4096, string? cursor = null, string? model = null, CancellationToken cancellationToken = default) =>
        Measured("plan.keySymbols", () => RunPlanKeySymbols(trace, symptom, hints, topK, tokenBudget, cursor, model, cancellationToken));

    /// <summary><see cref="PlanKeySymbols"/> without measuring (the server measures its requests itself).</summary>
    internal QueryResult RunPlanKeySymbols(ExecutionTrace trace, string symptom, KeySymbolHints? hints, int topK, int tokenBudget, string? cursor, string? model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (string.IsNullOrWhiteSpace(symptom))
            throw new ArgumentException("A symptom is required: describe the problem in plain words, e.g. \"hang when saving the journal\".", nameof(symptom));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(topK);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokenBudget);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var counter = CounterFor(model);
        hints ??= KeySymbolHints.None;
        var analysis = Analyzer.Analyze(trace, null, cancellationToken);
        var plan = KeySymbolPlanner.Plan(trace, analysis, symptom, hints, topK);
        var (headline, items, totals) = KeySymbolLines.Render(trace, plan);
        string query = $"plan|{symptom}|{string.Join(',', hints.Modules)}|{string.Join(',', hints.Functions)}|{string.Join(',', hints.Files)}|{topK}";
        return FitPage(trace, counter, headline, items, totals, tokenBudget, cursor, query, trace.EventCount, analysis.Findings, started, cancellationToken);
    }

    /// <summary>The token counter a query uses: the engine's, or one for the model the options name.</summary>
    internal ITokenCounter CounterFor(string? model) =>
        model is null || string.Equals(model, _tokenCounter.Model, StringComparison.OrdinalIgnoreCase) ? _tokenCounter : new TokenCounter(model);

    /// <summary>
    /// Fits a headline and ranked lines into one page of <paramref name="tokenBudget"/> tokens, continuing from
    /// <paramref name="cursorText"/> (which must come from the same trace and <paramref name="query"/>).
    /// </summary>
    internal static QueryResult FitPage(
        ExecutionTrace trace, ITokenCounter counter, string headline, IEnumerable<SummaryItem> items, IReadOnlyDictionary<SummaryItemKind, long> totals,
        int tokenBudget, string? cursorText, string query, int eventsMatched, IReadOnlyList<Finding> findings, long started, CancellationToken cancellationToken)
    {
        var fitter = new BudgetFitter(counter, headline, items, totals);
        ulong fingerprint = Fingerprint(trace, query, counter.Model);
        var previous = cursorText is null ? [] : QueryCursor.Decode(cursorText, fingerprint).PageBudgets;
        var emitted = new HashSet<int>();
        for (int served = 0; served < previous.Count; served++)
        {
            // Replay the pages already served, exactly as they were fitted (same budget, same cursor text).
            cancellationToken.ThrowIfCancellationRequested();
            var replay = fitter.Fit(previous[served], emitted, new QueryCursor(fingerprint, [.. previous.Take(served + 1)]).Encode());
            emitted.UnionWith(replay.Selected);
        }

        string nextCursor = new QueryCursor(fingerprint, [.. previous, tokenBudget]).Encode();
        int minimum = fitter.HeadlineTokens + fitter.FooterReserve(nextCursor);
        if (tokenBudget < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenBudget), tokenBudget,
                $"A budget of {tokenBudget} tokens is below the minimum of {minimum} for this trace and query: the headline and the truncation notice alone need that many ({counter.Model} tokens). Ask for at least {minimum}.");
        }
        var page = fitter.Fit(tokenBudget, emitted, nextCursor);
        return new QueryResult(
            page.Text,
            page.TokenCount,
            tokenBudget,
            counter.Model,
            trace.EventCount,
            eventsMatched,
            findings,
            page.Truncated,
            page.Truncated ? nextCursor : null,
            System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    private static Dictionary<SummaryItemKind, long> Totals(AnalysisResult analysis, Selection selection, bool filtered, QueryOptions options)
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

    private static ulong Fingerprint(ExecutionTrace trace, string query, string model)
    {
        var hash = new XxHash64();
        var text = new StringBuilder()
            .Append(trace.EventCount).Append('|').Append(trace.Threads.Count).Append('|')
            .Append(trace.TimeStartNs).Append('|').Append(trace.TimeEndNs).Append('|')
            .Append(trace.FunctionIds.Length).Append('|').Append(query).Append('|').Append(model.ToLowerInvariant());
        hash.Append(Encoding.UTF8.GetBytes(text.ToString()));
        if (trace.EventCount > 0)
        {
            hash.Append(System.Runtime.InteropServices.MemoryMarshal.AsBytes(trace.Timestamps[..Math.Min(64, trace.EventCount)]));
            hash.Append(System.Runtime.InteropServices.MemoryMarshal.AsBytes(trace.Timestamps[^Math.Min(64, trace.EventCount)..]));
        }
        return hash.GetCurrentHashAsUInt64();
    }
}
