using System.Globalization;
using System.Text;
using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Summaries.Internals;
using TraceQuery.Text;

namespace TraceQuery.Protocol.Internals;

/// <summary>The server's methods: each turns parameters into text that fits the request's token budget.</summary>
internal sealed class MethodHandlers(QueryEngine engine, int maxRegexLength = int.MaxValue)
{
    public static readonly string[] Methods =
        ["trace.info", "trace.query", "narration.summary", "findings.search", "spans.list", "stats.functionsTopN", "events.get", "search.scoped", "plan.keySymbols"];

    public QueryResult Info(ExecutionTrace trace, RequestContext request)
    {
        var counter = engine.CounterFor(request.Model);
        var lines = new List<SummaryItem>();
        var m = trace.Metadata;
        lines.Add(Line($"- format {m.SourceFormat}{(m.FormatVersion is null ? "" : " " + m.FormatVersion)} · os {m.Os} · arch {m.Arch} · clock {m.ClockType} · manifest {(m.ManifestPresent ? "present" : "missing")}"));
        lines.Add(Line($"- time {trace.TimeStartNs}..{trace.TimeEndNs} ns ({TextFormat.Duration(trace.TimeEndNs - trace.TimeStartNs)}) · {TextFormat.Count(trace.EventCount)} events · {TextFormat.Count(trace.Spans.Count)} spans · {TextFormat.Count(trace.Threads.Count)} threads · {TextFormat.Count(trace.FunctionIds.Length)} functions"));
        foreach (var thread in trace.Threads)
        {
            var r = thread.Recovery;
            string recovery = r.IsClean ? "complete" : string.Join(", ", new[]
            {
                r.IndexEmptyFile ? "empty index file" : !r.IndexFinalized ? $"no footer ({TextFormat.Count(r.EventsRecovered)} events recovered)" : null,
                r.IndexBytesIgnored > 0 ? $"{TextFormat.Count(r.IndexBytesIgnored)} index bytes ignored" : null,
                r.DetailBytesIgnored > 0 ? $"{TextFormat.Count(r.DetailBytesIgnored)} detail bytes ignored" : null,
                r.DetailLinksDropped > 0 ? $"{TextFormat.Count(r.DetailLinksDropped)} detail links dropped" : null,
                r.DuplicatesRemoved > 0 ? $"{TextFormat.Count(r.DuplicatesRemoved)} duplicates removed" : null,
                r.Reordered ? "reordered by time" : null,
            }.Where(x => x is not null));
            lines.Add(Line($"- thread {thread.Id}{(thread.Name is null ? "" : " " + thread.Name)}: {TextFormat.Count(thread.Count)} events, {TextFormat.Count(thread.DetailRecordCount)} detail records, {recovery}"));
        }
        foreach (string warning in m.Warnings)
            lines.Add(Line("- warning: " + warning));
        string headline = $"# Trace {request.TraceName}: {TextFormat.Count(trace.EventCount)} events on {TextFormat.Count(trace.Threads.Count)} threads{(trace.WasRecovered ? " (recovered)" : "")}";
        return Fit(trace, counter, headline, lines, request, "info", trace.EventCount, []);
    }

    public QueryResult Query(ExecutionTrace trace, RequestContext request, RequestParams p)
    {
        var counter = engine.CounterFor(request.Model);
        var filter = ParseFilter(p.String("filter"));
        string projection = p.String("projection") ?? "minimal";
        if (projection is not ("minimal" or "full"))
            throw RequestParams.Invalid("projection", $"is '{projection}'; use minimal or full");
        int limit = p.Int("limit", 1, 1_000_000) ?? int.MaxValue;
        var selection = filter.Evaluate(trace);
        bool full = projection == "full";
        // Repeats (a run of one function's calls at one depth on one thread) fold into one line with exemplar spans.
        var items = RepeatFolding.Fold(trace, selection.Indices().Take(limit)).Select(run => run.Folded
            ? Line(RepeatFolding.Render(trace, run, full ? "+" + TextFormat.Duration(trace.Timestamps[run.First] - trace.TimeStartNs) + " " : ""), NarrativeBuilder.EventsSection, SummaryItemKind.Function)
            : Line(RenderEvent(trace, run.First, full), NarrativeBuilder.EventsSection, SummaryItemKind.Event));
        int threads = selection.Count == 0 ? 0 : trace.Threads.Count(t => HasAny(selection, t));
        string headline = $"# `{(filter.Root is AllNode ? "(all events)" : filter.Canonical)}` matched {TextFormat.Count(selection.Count)} of {TextFormat.Count(trace.EventCount)} events on {TextFormat.Count(threads)} threads"
            + (limit < selection.Count ? $"; listing the first {TextFormat.Count(limit)}" : "");
        var (single, folded) = RepeatFolding.Count(trace, selection.Indices().Take(limit));
        var totals = new Dictionary<SummaryItemKind, long> { [SummaryItemKind.Event] = single, [SummaryItemKind.Function] = folded };
        return FitWith(trace, counter, headline, items, totals, request, $"query|{filter.Canonical}|{projection}|{limit}", selection.Count, []);
    }

    public QueryResult Summary(ExecutionTrace trace, RequestContext request, RequestParams p) =>
        engine.Run(trace, request.Budget, p.String("filter"), new QueryOptions { Model = request.Model }, request.Cursor, request.Cancellation);

    public QueryResult SearchFindings(ExecutionTrace trace, RequestContext request, RequestParams p)
    {
        var counter = engine.CounterFor(request.Model);
        string symptom = p.String("query") ?? p.String("symptom") ?? "";
        int limit = p.Int("limit", 1, 1000) ?? 20;
        var analysis = engine.Analyzer.Analyze(trace, null, request.Cancellation);
        var words = Words(symptom);
        var ranked = analysis.Findings
            .Select((f, i) => (Finding: f, Rank: i, Score: Relevance(f, trace, words)))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Rank)
            .Take(limit).ToList();
        var items = ranked.Select(x => Line(NarrativeBuilder.Render(x.Finding) + (x.Score > 0 && words.Count > 0 ? $" (matches: {x.Score.ToString("0.#", CultureInfo.InvariantCulture)})" : ""), NarrativeBuilder.FindingsSection, SummaryItemKind.Finding));
        string headline = $"# {TextFormat.Count(analysis.Findings.Count)} findings{(words.Count == 0 ? "" : $" ranked for \"{symptom}\"")}";
        var totals = new Dictionary<SummaryItemKind, long> { [SummaryItemKind.Finding] = ranked.Count };
        return FitWith(trace, counter, headline, items, totals, request, $"findings|{symptom}|{limit}", trace.EventCount, [.. ranked.Select(x => x.Finding)]);
    }

    public QueryResult ListSpans(ExecutionTrace trace, RequestContext request, RequestParams p)
    {
        var counter = engine.CounterFor(request.Model);
        string? function = p.String("function");
        int? thread = p.Int("thread", 0);
        long min = p.Duration("min_duration") ?? 0, max = p.Duration("max_duration") ?? long.MaxValue;
        string? statusText = p.String("status");
        SpanStatus? status = statusText switch
        {
            null => null,
            "complete" => SpanStatus.Complete,
            "unmatched" => SpanStatus.Unmatched,
            "unwound" => SpanStatus.Unwound,
            "orphan" => SpanStatus.OrphanReturn,
            _ => throw RequestParams.Invalid("status", $"is '{statusText}'; use complete, unmatched, unwound or orphan"),
        };
        int limit = p.Int("limit", 1, 1_000_000) ?? int.MaxValue;
        bool[]? functions = function is null ? null : MatchFunctions(trace, function);
        var spans = trace.Spans;
        IEnumerable<int> Matching()
        {
            for (int s = 0; s < spans.Count; s++)
            {
                if (functions is not null && !functions[spans.GetFunctionOrdinal(s)])
                    continue;
                if (thread is { } t && trace.Threads[spans.GetThreadIndex(s)].Id != (uint)t)
                    continue;
                if (status is { } st && spans.Statuses[s] != st)
                    continue;
                long d = spans.GetDuration(s);
                if (d < min || d > max)
                    continue;
                yield return s;
            }
        }
        int count = Matching().Take(limit).Count();
        var items = Matching().Take(limit).Select(s => Line(RenderSpan(trace, s), "## Spans", SummaryItemKind.Event));
        string headline = $"# {TextFormat.Count(count)} spans match{(count == limit ? " (limit reached)" : "")}";
        var totals = new Dictionary<SummaryItemKind, long> { [SummaryItemKind.Event] = count };
        return FitWith(trace, counter, headline, items, totals, request, $"spans|{function}|{thread}|{min}|{max}|{statusText}|{limit}", trace.EventCount, []);
    }

    public QueryResult TopFunctions(ExecutionTrace trace, RequestContext request, RequestParams p)
    {
        var counter = engine.CounterFor(request.Model);
        string metricText = p.String("metric") ?? "self";
        var metric = metricText switch
        {
            "count" => FunctionMetric.Count,
            "total" => FunctionMetric.Total,
            "self" => FunctionMetric.Self,
            "p95" => FunctionMetric.P95,
            _ => throw RequestParams.Invalid("metric", $"is '{metricText}'; use count, total, self or p95"),
        };
        int n = p.Int("n", 1, 10_000) ?? p.Int("limit", 1, 10_000) ?? 10;
        var filter = ParseFilter(p.String("filter"));
        var selection = filter.Root is AllNode ? null : filter.Evaluate(trace);
        var stats = engine.Analyzer.ComputeFunctionStats(trace, selection, request.Cancellation);
        var top = Analyzer.TopFunctions(stats, metric, n);
        var items = top.Select((f, i) => Line(
            $"{i + 1}. {f.Name} ({f.Module}) ×{TextFormat.Count(f.Count)} · total {TextFormat.Duration(f.TotalNs)} · self {TextFormat.Duration(f.SelfTotalNs)} · p50 {TextFormat.Duration((long)f.P50Ns)} · p95 {TextFormat.Duration((long)f.P95Ns)} · p99 {TextFormat.Duration((long)f.P99Ns)} · max {TextFormat.Duration(f.MaxNs)} · {EvidenceRef.ForFunction(f.FunctionId)}",
            "## Functions", SummaryItemKind.Function));
        string headline = $"# Top {TextFormat.Count(top.Count)} of {TextFormat.Count(stats.Count)} functions by {metricText}";
        var totals = new Dictionary<SummaryItemKind, long> { [SummaryItemKind.Function] = top.Count };
        return FitWith(trace, counter, headline, items, totals, request, $"top|{metricText}|{n}|{filter.Canonical}", selection?.Count ?? trace.EventCount, []);
    }

    public QueryResult SearchScoped(ExecutionTrace trace, RequestContext request, RequestParams p)
    {
        string anchor = p.String("anchor") ?? throw RequestParams.Invalid("anchor", "is required: span:<id>, event:<thread>:<seq> or a time since the trace's first event such as 1.5ms");
        var options = new ScopedSearchOptions
        {
            Anchor = anchor,
            LookBackNs = p.Duration("back"),
            LookAheadNs = p.Duration("ahead"),
            Filter = p.String("filter"),
            IncludeDetail = p.Bool("detail") ?? true,
            Model = request.Model,
        };
        return engine.RunSearchScoped(trace, options, request.Budget, request.Cursor, request.Cancellation);
    }

    public QueryResult PlanKeySymbols(ExecutionTrace trace, RequestContext request, RequestParams p)
    {
        string symptom = p.String("symptom") ?? p.String("query") ?? "";
        if (string.IsNullOrWhiteSpace(symptom))
            throw RequestParams.Invalid("symptom", "is required: the problem in plain words, e.g. \"hang when saving the journal\"");
        // Hints may come flat (modules, functions, files) or grouped in a "hints" object.
        var grouped = p.TryGet("hints", out var h) ? h.ValueKind == System.Text.Json.JsonValueKind.Object ? new RequestParams(h) : throw RequestParams.Invalid("hints", "must be an object with modules, functions and files (arrays of strings)") : null;
        var hints = new KeySymbolHints
        {
            Modules = p.Strings("modules") ?? grouped?.Strings("modules") ?? [],
            Functions = p.Strings("functions") ?? grouped?.Strings("functions") ?? [],
            Files = p.Strings("files") ?? grouped?.Strings("files") ?? [],
        };
        int topK = p.Int("top_k", 1, 1000) ?? 10;
        return engine.RunPlanKeySymbols(trace, symptom, hints, topK, request.Budget, request.Cursor, request.Model, request.Cancellation);
    }

    public QueryResult GetEvents(ExecutionTrace trace, RequestContext request, RequestParams p)
    {
        var counter = engine.CounterFor(request.Model);
        var refs = p.Strings("refs") ?? p.Strings("ref") ?? throw RequestParams.Invalid("refs", "is required: a list such as [\"event:1:2\", \"span:3\", \"fn:0x05e4df9100000003\"]");
        if (refs.Count > 1000)
            throw RequestParams.Invalid("refs", $"holds {refs.Count} references; at most 1,000 per request");
        bool detail = p.Bool("detail") ?? true;
        var lines = new List<SummaryItem>();
        foreach (string text in refs)
        {
            if (!EvidenceRef.TryParse(text, out var reference))
                throw RequestParams.Invalid("refs", $"holds '{text}', which is not event:<thread>:<seq>, span:<id> or fn:0x<hex>");
            lines.Add(Line(Resolve(trace, reference, detail), "## Resolved"));
        }
        string headline = $"# {TextFormat.Count(refs.Count)} references";
        return Fit(trace, counter, headline, lines, request, "events|" + string.Join(',', refs) + "|" + detail, trace.EventCount, []);
    }

    private static string Resolve(ExecutionTrace trace, EvidenceRef reference, bool detail)
    {
        switch (reference.Kind)
        {
            case EvidenceKind.Event:
                if (!trace.TryGetEventIndex(new EventRef(reference.Thread, (uint)reference.Value), out int e))
                    return $"- {reference}: no such event in this trace";
                string line = RenderEvent(trace, e, full: true);
                if (detail && trace.TryGetDetail(e, out var record))
                    line += " · " + RenderDetail(record);
                else if (detail && trace.DetailSeqs[e] == TraceEvent.NoDetail)
                    line += " · no detail record";
                return line;
            case EvidenceKind.Span:
                return reference.Value < (ulong)trace.Spans.Count ? RenderSpan(trace, (int)reference.Value) : $"- {reference}: no such span in this trace";
            default:
                int ordinal = trace.FunctionIds.BinarySearch(reference.Value);
                if (ordinal < 0)
                    return $"- {reference}: function {trace.Symbols.GetName(reference.Value)} has no events in this trace";
                return $"- {reference}: {trace.GetFunctionName(ordinal)} in {trace.Symbols.GetModuleName(reference.Value)}";
        }
    }

    private static string RenderDetail(DetailRecord record)
    {
        var function = record.TryGetFunctionDetail();
        if (function is null)
            return $"detail {record.Payload.Length} bytes";
        var text = new StringBuilder("detail os_tid ").Append(function.OsThreadId);
        for (int i = 0; i < function.Registers.Count; i++)
            text.Append(" x").Append(i).Append("=0x").Append(function.Registers[i].ToString("x", CultureInfo.InvariantCulture));
        text.Append(" lr=0x").Append(function.Lr.ToString("x", CultureInfo.InvariantCulture))
            .Append(" sp=0x").Append(function.Sp.ToString("x", CultureInfo.InvariantCulture))
            .Append(" stack[").Append(function.Stack.Length).Append(']');
        if (function.Stack.Length > 0)
            text.Append('=').Append(Convert.ToHexString(function.Stack.Span[..Math.Min(32, function.Stack.Length)]).ToLowerInvariant()).Append(function.Stack.Length > 32 ? "…" : "");
        return text.ToString();
    }

    internal static string RenderEvent(ExecutionTrace trace, int e, bool full)
    {
        if (!full)
            return $"- {trace.GetEventRef(e)} {TraceInfoKind(trace.Kinds[e])} {trace.GetFunctionName(trace.FunctionOrdinals[e])}";
        return NarrativeBuilder.RenderEvent(trace, e) + (trace.DetailSeqs[e] != TraceEvent.NoDetail ? " detail:yes" : "");
    }

    internal static string RenderSpan(ExecutionTrace trace, int s)
    {
        var span = trace.Spans.Get(s);
        return $"- span:{s} {trace.Symbols.GetName(span.FunctionId)} thread {span.ThreadId} depth {span.Depth} +{TextFormat.Duration(span.StartNs - trace.TimeStartNs)} for {TextFormat.Duration(span.DurationNs)} {span.Status.ToString().ToLowerInvariant()}"
            + (span.ParentId >= 0 ? $" parent span:{span.ParentId}" : "") + (span.RaisedException ? " raised-exception" : "");
    }

    private static string TraceInfoKind(byte kind) => kind switch
    {
        1 => "call",
        2 => "return",
        _ => "EXCEPTION",
    };

    private bool[] MatchFunctions(ExecutionTrace trace, string pattern)
    {
        var node = pattern.Length > 1 && pattern.StartsWith('/') && pattern.EndsWith('/')
            ? new NameTerm(NameField.Function, NamePatternKind.Regex, pattern[1..^1])
            : new NameTerm(NameField.Function, NamePatternKind.Glob, pattern);
        CheckRegexLength(node, "function");
        try
        {
            return FunctionNameMatcher.Match(node, trace);
        }
        catch (ArgumentException e)
        {
            throw RequestParams.Invalid("function", "is not a valid pattern: " + e.Message);
        }
    }

    private EventFilter ParseFilter(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return EventFilter.All;
        EventFilter filter;
        try
        {
            filter = EventFilter.Parse(text);
        }
        catch (FilterSyntaxException e)
        {
            throw RequestParams.Invalid("filter", e.Message);
        }
        CheckRegexLength(filter.Root, "filter");
        return filter;
    }

    /// <summary>Refuses a regex longer than the server allows (the parser's own cap is the upper bound).</summary>
    private void CheckRegexLength(FilterNode node, string parameter)
    {
        switch (node)
        {
            case NameTerm { Kind: NamePatternKind.Regex } term when term.Pattern.Length > maxRegexLength:
                throw RequestParams.Invalid(parameter, $"holds a regex of {term.Pattern.Length.ToString(CultureInfo.InvariantCulture)} characters, above the server's limit of {maxRegexLength.ToString(CultureInfo.InvariantCulture)}");
            case AndNode and:
                CheckRegexLength(and.Left, parameter);
                CheckRegexLength(and.Right, parameter);
                break;
            case OrNode or:
                CheckRegexLength(or.Left, parameter);
                CheckRegexLength(or.Right, parameter);
                break;
            case NotNode not:
                CheckRegexLength(not.Operand, parameter);
                break;
        }
    }

    private static bool HasAny(Selection selection, TraceThread thread) =>
        thread.Count > 0 && FirstFrom(selection, thread.Start) < thread.End;

    private static int FirstFrom(Selection selection, int start)
    {
        Span<int> one = stackalloc int[1];
        return selection.CopyIndices(start, one) == 1 ? one[0] : int.MaxValue;
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (string raw in text.ToLowerInvariant().Split([' ', ',', '.', ';', ':', '!', '?', '"', '\'', '(', ')', '-', '_', '/'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw.Length < 3 || raw is "the" or "and" or "when" or "with" or "for" or "was" or "are" or "not")
                continue;
            words.Add(Stem(raw));
        }
        return words;
    }

    internal static string Stem(string word)
    {
        foreach (string suffix in new[] { "ing", "ed", "es", "s", "er" })
        {
            if (word.Length > suffix.Length + 2 && word.EndsWith(suffix, StringComparison.Ordinal))
                return word[..^suffix.Length];
        }
        return word;
    }

    private static double Relevance(Finding finding, ExecutionTrace trace, List<string> words)
    {
        if (words.Count == 0)
            return 0;
        string title = finding.Title.ToLowerInvariant();
        string rationale = finding.Rationale.ToLowerInvariant();
        string kind = finding.Kind.ToString().ToLowerInvariant();
        var nameParts = finding.FunctionId is { } fn ? TraceQuery.Analysis.Internals.LeakDetector.SplitIdentifier(trace.Symbols.GetName(fn)).Select(Stem).ToList() : [];
        double score = 0;
        foreach (string w in words)
        {
            if (nameParts.Contains(w))
                score += 3; // the culprit's own name
            else if (title.Contains(w, StringComparison.Ordinal) || kind.Contains(w, StringComparison.Ordinal))
                score += 2;
            else if (rationale.Contains(w, StringComparison.Ordinal))
                score += 1;
        }
        return score;
    }

    private static SummaryItem Line(string text, string section = "## Info", SummaryItemKind kind = SummaryItemKind.Timeline) => new(kind, text, section);

    private static QueryResult Fit(ExecutionTrace trace, ITokenCounter counter, string headline, List<SummaryItem> lines, RequestContext request, string query, int matched, IReadOnlyList<Finding> findings)
    {
        var totals = lines.GroupBy(l => l.Kind).ToDictionary(g => g.Key, g => (long)g.Count());
        return FitWith(trace, counter, headline, lines, totals, request, query, matched, findings);
    }

    private static QueryResult FitWith(ExecutionTrace trace, ITokenCounter counter, string headline, IEnumerable<SummaryItem> items, IReadOnlyDictionary<SummaryItemKind, long> totals, RequestContext request, string query, int matched, IReadOnlyList<Finding> findings) =>
        QueryEngine.FitPage(trace, counter, headline, items, totals, request.Budget, request.Cursor, query, matched, findings, System.Diagnostics.Stopwatch.GetTimestamp(), request.Cancellation);
}

/// <summary>What every method needs from a request besides its own parameters.</summary>
internal sealed record RequestContext(string TraceName, int Budget, string? Cursor, string? Model, CancellationToken Cancellation);
