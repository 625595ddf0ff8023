using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Text;

namespace TraceQuery;

/// <summary>The answers behind the typed entry points, unmeasured (the server measures each request itself).</summary>
public sealed partial class QueryEngine
{
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
        var analysis = Analyzer.Analyze(trace, filtered ? selection : null, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        var lines = new AnswerLines(
            NarrativeBuilder.Headline(trace, filter, selection, analysis),
            NarrativeBuilder.Items(trace, selection, analysis, filtered, request.IncludeTimeline, request.MaxFindings),
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
        var analysis = Analyzer.Analyze(trace, null, cancellationToken);
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
        var stats = Analyzer.ComputeFunctionStats(trace, selection, cancellationToken);
        var top = Analyzer.TopFunctions(stats, request.Metric, request.Count);
        string metric = request.Metric.ToString().ToLowerInvariant();
        var lines = FunctionTableLines.Build(top, stats.Count, metric, $"top|{metric}|{request.Count}|{filter.Canonical}", selection?.Count ?? trace.EventCount);
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
                throw new QueryArgumentException("refs", $"holds '{text}', which is not event:<thread>:<seq>, span:<id> or fn:0x<hex>.");
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
        var lines = ScopedNeighbourhood.Build(trace, window, selection, filter.Canonical, cancellationToken);
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
        var analysis = Analyzer.Analyze(trace, null, cancellationToken);
        var plan = KeySymbolPlanner.Plan(trace, analysis, request.Symptom, hints, request.TopK);
        var (headline, items, totals) = KeySymbolLines.Render(trace, plan);
        string query = $"plan|{request.Symptom}|{string.Join(',', hints.Modules)}|{string.Join(',', hints.Functions)}|{string.Join(',', hints.Files)}|{request.TopK}";
        return Page(trace, request, counter, new AnswerLines(headline, items, totals, query, trace.EventCount, analysis.Findings), started, cancellationToken);
    }

    /// <summary>Checks what every request needs and starts the clock; the counter first, so an unknown model fails before any scan.</summary>
    private (ITokenCounter Counter, long Started) Begin(ExecutionTrace trace, TraceRequest request)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(request.TokenBudget, "tokenBudget");
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        return (CounterFor(request.Model), started);
    }

    private static EventFilter ParseFilter(string? text) =>
        string.IsNullOrWhiteSpace(text) ? EventFilter.All : EventFilter.Parse(text);
}
