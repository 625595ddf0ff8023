using System.Globalization;
using System.Text.Json;
using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Model;

namespace TraceQuery.Protocol.Internals;

/// <summary>
/// Binds a method's JSON parameters to its typed request record: names (snake_case or camelCase), types, ranges and
/// enumerations are checked here with errors that name the parameter; everything else is the façade's.
/// </summary>
internal sealed class RequestBinder(int maxRegexLength)
{
    public TraceInfoRequest Info(RequestParams p, RequestContext c) =>
        new() { TraceName = c.TraceName, TokenBudget = c.Budget, Cursor = c.Cursor, Model = c.Model };

    public EventQueryRequest Query(RequestParams p, RequestContext c)
    {
        string? filter = Filter(p);
        string projection = p.String("projection") ?? "minimal";
        var value = projection switch
        {
            "minimal" => EventProjection.Minimal,
            "full" => EventProjection.Full,
            _ => throw RequestParams.Invalid("projection", $"is '{projection}'; use minimal or full"),
        };
        return new() { Filter = filter, Projection = value, Limit = p.Int("limit", 1, 1_000_000), TokenBudget = c.Budget, Cursor = c.Cursor, Model = c.Model };
    }

    public SummaryRequest Summary(RequestParams p, RequestContext c) =>
        new() { Filter = Filter(p), TokenBudget = c.Budget, Cursor = c.Cursor, Model = c.Model };

    public FindingSearchRequest Findings(RequestParams p, RequestContext c) =>
        new() { Symptom = p.String("query") ?? p.String("symptom") ?? "", Limit = p.Int("limit", 1, 1000) ?? 20, TokenBudget = c.Budget, Cursor = c.Cursor, Model = c.Model };

    public SpanListRequest Spans(RequestParams p, RequestContext c)
    {
        string? function = p.String("function");
        if (function is not null)
            CheckRegexLength(SpanSelector.Pattern(function), "function");
        int? thread = p.Int("thread", 0);
        long? min = p.Duration("min_duration"), max = p.Duration("max_duration");
        string? statusText = p.String("status");
        SpanStatus? status = statusText switch
        {
            null => null,
            "complete" => SpanStatus.Complete,
            "unmatched" => SpanStatus.Unmatched,
            "unwound" => SpanStatus.Unwound,
            "orphan" => SpanStatus.OrphanReturn,
            "error" => SpanStatus.Error,
            _ => throw RequestParams.Invalid("status", $"is '{statusText}'; use complete, unmatched, unwound, orphan or error"),
        };
        return new()
        {
            Function = function,
            ThreadId = thread is { } t ? (uint)t : null,
            Status = status,
            MinDurationNs = min,
            MaxDurationNs = max,
            Limit = p.Int("limit", 1, 1_000_000),
            TokenBudget = c.Budget,
            Cursor = c.Cursor,
            Model = c.Model,
        };
    }

    public TopFunctionsRequest TopFunctions(RequestParams p, RequestContext c)
    {
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
        return new() { Metric = metric, Count = n, Filter = Filter(p), TokenBudget = c.Budget, Cursor = c.Cursor, Model = c.Model };
    }

    public EventLookupRequest Events(RequestParams p, RequestContext c)
    {
        var refs = p.Strings("refs") ?? p.Strings("ref") ?? throw RequestParams.Invalid("refs", "is required: a list such as [\"event:1:2\", \"span:3\", \"fn:0x05e4df9100000003\"]");
        return new() { References = refs, IncludeDetail = p.Bool("detail") ?? true, TokenBudget = c.Budget, Cursor = c.Cursor, Model = c.Model };
    }

    public ScopedSearchRequest Scoped(RequestParams p, RequestContext c)
    {
        string anchor = p.String("anchor") ?? throw RequestParams.Invalid("anchor", "is required: span:<id>, event:<thread>:<seq>, sample:<index> or a time since the trace's first event such as 1.5ms");
        return new()
        {
            Anchor = anchor,
            LookBackNs = p.Duration("back"),
            LookAheadNs = p.Duration("ahead"),
            Filter = Filter(p),
            IncludeDetail = p.Bool("detail") ?? true,
            TokenBudget = c.Budget,
            Cursor = c.Cursor,
            Model = c.Model,
        };
    }

    public KeySymbolRequest KeySymbols(RequestParams p, RequestContext c)
    {
        string symptom = p.String("symptom") ?? p.String("query") ?? "";
        if (string.IsNullOrWhiteSpace(symptom))
            throw RequestParams.Invalid("symptom", "is required: the problem in plain words, e.g. \"hang when saving the journal\"");
        // Hints may come flat (modules, functions, files) or grouped in a "hints" object.
        var grouped = p.TryGet("hints", out var h)
            ? h.ValueKind == JsonValueKind.Object ? new RequestParams(h) : throw RequestParams.Invalid("hints", "must be an object with modules, functions and files (arrays of strings)")
            : null;
        var hints = new KeySymbolHints
        {
            Modules = p.Strings("modules") ?? grouped?.Strings("modules") ?? [],
            Functions = p.Strings("functions") ?? grouped?.Strings("functions") ?? [],
            Files = p.Strings("files") ?? grouped?.Strings("files") ?? [],
        };
        return new() { Symptom = symptom, Hints = hints, TopK = p.Int("top_k", 1, 1000) ?? 10, TokenBudget = c.Budget, Cursor = c.Cursor, Model = c.Model };
    }

    /// <summary>The <c>filter</c> parameter, its regexes held to the server's limit; syntax errors are left to the façade.</summary>
    private string? Filter(RequestParams p)
    {
        string? text = p.String("filter");
        // A regex longer than the limit needs a filter text longer than it: shorter texts need no parse here.
        if (text is null || text.Length <= maxRegexLength)
            return text;
        FilterNode root;
        try
        {
            root = EventFilter.Parse(text).Root;
        }
        catch (FilterSyntaxException)
        {
            return text;
        }
        CheckRegexLength(root, "filter");
        return text;
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
}
