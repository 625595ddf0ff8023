using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using TraceQuery.Protocol;

namespace TraceQuery.Tools;

/// <summary>
/// The TraceQuery tools, defined once for every agent surface (MCP tools, Microsoft.Extensions.AI functions): each
/// method's name, description and parameters are what a model sees, and each builds a request for one
/// <see cref="TraceQueryServer"/> method and hands it to the surface's <see cref="IToolInvoker"/>, which shapes the
/// answer. No logic of their own; one instance per call. (One source file, compiled into each assembly that needs it.)
/// </summary>
internal sealed class ToolMethods(IToolInvoker invoker)
{
    /// <summary>Every tool in the order clients list them: wire name, title, and the method that defines it.</summary>
    public static IReadOnlyList<ToolDefinition> Definitions { get; } =
    [
        new("trace_info", "Trace info", Method(nameof(Info))),
        new("trace_query", "Query trace events", Method(nameof(Query))),
        new("trace_summary", "Summarize a trace", Method(nameof(Summary))),
        new("find_findings", "Find findings for a symptom", Method(nameof(FindFindings))),
        new("list_spans", "List call spans", Method(nameof(ListSpans))),
        new("top_functions", "Top functions", Method(nameof(TopFunctions))),
        new("get_events", "Resolve evidence references", Method(nameof(GetEvents))),
        new("search_around", "Search around an anchor", Method(nameof(SearchAround))),
        new("plan_key_symbols", "Plan key symbols for a symptom", Method(nameof(PlanKeySymbols))),
        new("fleet_summary", "Summarize a folder of runs", Method(nameof(FleetSummary))),
        new("diff_runs", "Diff two runs", Method(nameof(DiffRuns))),
    ];

    private static MethodInfo Method(string name) => typeof(ToolMethods).GetMethod(name) ?? throw new InvalidOperationException("No tool method " + name + ".");

    private const string TraceDescription =
        "Trace relative to the server's trace root: an ATF session directory or a Chrome/OTLP JSON file, e.g. \"indexer\", \"runs/crash1\" or \"runs/app.json\". Omit it when the root is itself a session.";

    private const string BudgetDescription =
        "Largest answer in tokens, counted with the model's tokenizer. Default 4096; the server caps it at its maximum (20000 unless configured) and says so. The answer never exceeds it; a budget under about 110 tokens is refused.";

    private const string ModelDescription =
        "Model whose tokenizer counts token_budget: gpt-4o (default), gpt-4o-mini, gpt-4.1, gpt-4.1-mini, o1, o3, o3-mini, o4-mini, gpt-4, gpt-3.5-turbo, or an encoding: o200k_base, cl100k_base.";

    private const string CursorDescription =
        "To continue a cut answer: the cursor from its last line. Repeat the other arguments unchanged.";

    private const string FilterDescription =
        "Event filter; omit for all events. Terms combine with and, or, not and parentheses; terms side by side mean and. "
        + "Terms: kind:call|return|exception; thread:3 or thread:1,3; fn:parse_* (glob over the whole name) or fn:/regex/; module:libstore.so; "
        + "depth>3; time:1.5s..2s or time>=10ms (since the trace's first event; units ns us ms s); duration>10ms (the RETURN of each call that took longer); "
        + "detail:yes; a bare word (function or module name contains it; error, exception, crash and fail also match every EXCEPTION event). "
        + "Span structure (spaces around the operator; each side a whole condition, looser than or): A > B (B's direct parent matches A), A >> B (an ancestor matches A), "
        + "A !> B, A !>> B (negations); span terms dur>5ms, self>1ms, status:complete|unmatched|unwound|orphan select each span's CALL. "
        + "Span attributes (Chrome args, OTLP attributes) select the CALL too: arg.path:*types.ts (glob over one key's value, nested keys dotted: arg.data.url:*.js) or arg:*Windows.h* (any value). "
        + "Quote names with spaces or colons: fn:\"operator()\". Examples: error | kind:exception thread:3 | fn:parse_* and duration>10ms | module:libnet* and not fn:*_poll | fn:handle_* >> fn:write_*";

    private const string Paging =
        " The text fits token_budget; when something was left out, its last line says what and gives a cursor for the next page.";

    /// <summary>trace.info: a trace's shape and recovery report.</summary>
    [Description("Describe a trace session: format, OS and architecture, time range, event, span, thread and function counts, "
        + "and per thread what was recovered from a tracer that was killed (missing footers, ignored bytes). A good first call." + Paging)]
    public Task<object?> Info(
        [Description(TraceDescription)] string? trace = null,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(TraceQueryMethods.TraceInfo, Common(trace, token_budget, model, cursor), cancellationToken);

    /// <summary>trace.query: the events a filter selects.</summary>
    [Description("List the events a filter selects (thread by thread, each in time order), with a headline of how many matched on how many threads. "
        + "Each event line starts with its reference (event:<thread>:<seq>), which get_events resolves." + Paging)]
    public Task<object?> Query(
        [Description(FilterDescription)] string? filter = null,
        [Description(TraceDescription)] string? trace = null,
        [Description("minimal (reference, kind, function) or full (adds time, thread, depth, module, duration of the call, detail flag).")][AllowedValues("minimal", "full")] string projection = "minimal",
        [Description("List at most this many of the matching events (the headline still counts all).")] int? limit = null,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(TraceQueryMethods.Query, With(Common(trace, token_budget, model, cursor), ("filter", filter), ("projection", projection), ("limit", limit)), cancellationToken);

    /// <summary>narration.summary: the budgeted narrative.</summary>
    [Description("Summarize a trace, or the part a filter selects, as ranked text: findings by severity (crashes with the open call stack, "
        + "exceptions, hangs, leak-like growth, latency outliers, hot spots) with evidence references (event:, span:, fn:), "
        + "hot functions with count, self and total time and percentiles, a timeline, then matching events." + Paging)]
    public Task<object?> Summary(
        [Description(TraceDescription)] string? trace = null,
        [Description(FilterDescription)] string? filter = null,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(TraceQueryMethods.NarrationSummary, With(Common(trace, token_budget, model, cursor), ("filter", filter)), cancellationToken);

    /// <summary>findings.search: findings ranked for a symptom.</summary>
    [Description("Rank the trace's findings (crash, exception, hang, latency outlier, leak-like imbalance, unmatched spans, hot spot) "
        + "against a symptom described in plain words; each finding gives its severity, why it was raised and evidence references." + Paging)]
    public Task<object?> FindFindings(
        [Description("The symptom in plain words, e.g. \"crash while parsing the header\" or \"memory grows\". Omit to list findings by severity.")] string? query = null,
        [Description(TraceDescription)] string? trace = null,
        [Description("At most this many findings.")] int limit = 20,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(TraceQueryMethods.FindingsSearch, With(Common(trace, token_budget, model, cursor), ("query", query), ("limit", limit)), cancellationToken);

    /// <summary>spans.list: call spans by function, thread, duration and status.</summary>
    [Description("List call spans (a CALL paired with its RETURN, or with the EXCEPTION that unwound it) that match every given condition; "
        + "each line gives span:<id>, function, thread, depth, start offset, duration, status and parent span." + Paging)]
    public Task<object?> ListSpans(
        [Description(TraceDescription)] string? trace = null,
        [Description("Function name: a glob over the whole name (open_*) or /regex/.")] string? function = null,
        [Description("Thread id (the ATF slot number).")] int? thread = null,
        [Description("Shortest duration to include: nanoseconds, or text with a unit such as \"10ms\" (ns, us, ms, s).")] string? min_duration = null,
        [Description("Longest duration to include, in the same form as min_duration.")] string? max_duration = null,
        [Description("Only spans of this status: complete, unmatched (no RETURN), unwound (ended by an EXCEPTION) or orphan (a RETURN without its CALL).")] string? status = null,
        [Description("At most this many spans.")] int? limit = null,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(TraceQueryMethods.SpansList, With(Common(trace, token_budget, model, cursor),
            ("function", function), ("thread", thread), ("min_duration", min_duration), ("max_duration", max_duration), ("status", status), ("limit", limit)), cancellationToken);

    /// <summary>stats.functionsTopN: functions ranked by a metric.</summary>
    [Description("Rank functions by call count, total time, self time or p95 latency, over the whole trace or the events a filter selects; "
        + "each line gives count, total, self, p50, p95, p99, max and the function's fn: reference." + Paging)]
    public Task<object?> TopFunctions(
        [Description("count, total, self (time not spent in callees) or p95.")][AllowedValues("count", "total", "self", "p95")] string metric = "self",
        [Description("How many functions.")] int n = 10,
        [Description(FilterDescription)] string? filter = null,
        [Description(TraceDescription)] string? trace = null,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(TraceQueryMethods.StatsFunctionsTopN, With(Common(trace, token_budget, model, cursor), ("metric", metric), ("n", n), ("filter", filter)), cancellationToken);

    /// <summary>events.get: resolve evidence references.</summary>
    [Description("Resolve evidence references quoted by the other tools to full detail: an event's time, thread, depth, function, module "
        + "and its detail record (registers, stack bytes) when it has one; a span's timing and status; a function's module." + Paging)]
    public Task<object?> GetEvents(
        [Description("References to resolve, at most 1,000: event:<thread>:<seq>, span:<id>, fn:0x<16 hex digits>, sample:<index> or stack:<id>.")] string[] refs,
        [Description(TraceDescription)] string? trace = null,
        [Description("Include detail records (registers, stack).")] bool detail = true,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(TraceQueryMethods.EventsGet, With(Common(trace, token_budget, model, cursor),
            ("refs", refs is null ? null : new JsonArray([.. refs.Select(r => (JsonNode?)r)])), ("detail", detail)), cancellationToken);

    /// <summary>search.scoped: what happened around an anchor.</summary>
    [Description("Show what happened around an anchor (a span, an event such as a crash quoted by trace_summary, or a time) on every thread: "
        + "events merged in time order with offsets from the anchor, the anchor marked [anchor], repeated calls folded into one line with "
        + "exemplar spans (fastest, median, p95, p99, slowest) that get_events resolves, and detail records (arguments, return values, registers) "
        + "where the window has them, else a pointer to the nearest event that has one. When the budget is short the lines nearest the anchor are kept; the cursor widens the view." + Paging)]
    public Task<object?> SearchAround(
        [Description("span:<id>, event:<thread>:<seq>, sample:<index> (a stack sample), or a time since the trace's first event such as 1.5ms (units ns us ms s).")] string anchor,
        [Description(TraceDescription)] string? trace = null,
        [Description("How far before the anchor to look: nanoseconds or text with a unit such as \"1ms\". Default: the anchor span's duration or the time back to the 32nd earlier event of its thread, whichever is longer.")] string? back = null,
        [Description("How far after the anchor (after its end, for a span) to look, in the same form. Default: the anchor span's duration or the time to the 16th later event of its thread, whichever is longer.")] string? ahead = null,
        [Description(FilterDescription)] string? filter = null,
        [Description("Include detail records (arguments, return values, registers) of the events that have one.")] bool detail = true,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(TraceQueryMethods.SearchScoped, With(Common(trace, token_budget, model, cursor),
            ("anchor", anchor), ("back", back), ("ahead", ahead), ("filter", filter), ("detail", detail)), cancellationToken);

    /// <summary>plan.keySymbols: the functions that matter for a symptom.</summary>
    [Description("Rank the functions that matter for a symptom described in plain words, each with a score and its reasons: name_match (identifier parts "
        + "sharing a stem with the symptom's words), hint_match, in_finding (part of a finding), neighbour (caller or callee of a strong match); "
        + "then per module the set of those functions in base64 (a bitset or a delta-encoded list, whichever is smaller; see the README) so a "
        + "tracer can trace exactly them next time." + Paging)]
    public Task<object?> PlanKeySymbols(
        [Description("The symptom in plain words, e.g. \"hang when saving the journal\" or \"memory grows, buffers never released\".")] string symptom,
        [Description(TraceDescription)] string? trace = null,
        [Description("Module hints: module file names or parts of them, e.g. libstore.")] string[]? modules = null,
        [Description("Function hints: names you suspect, e.g. flush_pages.")] string[]? functions = null,
        [Description("Source file hints, e.g. header_parser.c: their identifier parts are matched against function names.")] string[]? files = null,
        [Description("How many functions to rank.")] int top_k = 10,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(TraceQueryMethods.PlanKeySymbols, With(Common(trace, token_budget, model, cursor),
            ("symptom", symptom), ("modules", Array(modules)), ("functions", Array(functions)), ("files", Array(files)), ("top_k", top_k)), cancellationToken);

    /// <summary>traces.fleet: one answer over a folder of traces.</summary>
    [Description("One answer over every trace in a folder (searched recursively): how many runs, which failed and where, grouped by culprit "
        + "(\"crash in parse_header: 9 of 200 runs; first in runs/run-17\"), the hot functions whose p95 differs most between runs, runs that stand out "
        + "by errors or duration, then one line per run. Evidence names its trace (trace:<name> event:1:3001); pass <name> as trace to the single-trace tools." + Paging)]
    public Task<object?> FleetSummary(
        [Description("Folder relative to the server's trace root, e.g. \"runs\" or \"nightly/2026-12-04\"; omit for the whole root.")] string? folder = null,
        [Description("Event filter applied to every trace (same language as trace_query), e.g. \"error\" or \"fn:parse_*\"; omit for whole traces.")] string? filter = null,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(TraceQueryMethods.TracesFleet,
            [new("folder", folder), new("filter", filter), new("token_budget", token_budget), new("model", model), new("cursor", cursor)], cancellationToken);

    /// <summary>traces.diff: what changed from one run to another.</summary>
    [Description("Compare a candidate run with a baseline run: errors and findings new in the candidate (with messages), functions whose call count, p50, p95 "
        + "or self time changed beyond both a relative and an absolute threshold with enough calls (largest impact first, slower or faster), functions "
        + "that appear or vanish, what is gone, and which functions did not change; with stack samples, the sampled functions whose share of each run's "
        + "sampled CPU moved (self and total). Evidence names its run (trace:<name>)." + Paging)]
    public Task<object?> DiffRuns(
        [Description("The reference run, relative to the server's trace root (a session directory or a JSON trace file).")] string baseline,
        [Description("The run to judge, in the same form.")] string candidate,
        [Description("Smallest change that counts, as a share of the baseline: 0.25 (default) = 25%.")] double? min_relative = null,
        [Description("Smallest change of p50, p95 or self time that counts: nanoseconds or text with a unit, e.g. \"1us\" (default) or \"2ms\".")] string? min_absolute = null,
        [Description("Calls a function needs in both runs before its durations are compared (default 20).")] int? min_calls = null,
        [Description("Smallest change of a call count or an error count that counts (default 10).")] int? min_count = null,
        [Description("Smallest move of a sampled function's share of sampled CPU that counts: 0.02 (default) = 2 percentage points.")] double? min_share = null,
        [Description("CPU stack samples each run needs before sampled shares are compared (default 20).")] int? min_samples = null,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync(TraceQueryMethods.TracesDiff,
            [new("baseline", baseline), new("candidate", candidate), new("min_relative", min_relative), new("min_absolute", min_absolute),
            new("min_calls", min_calls), new("min_count", min_count), new("min_share", min_share), new("min_samples", min_samples), new("token_budget", token_budget), new("model", model), new("cursor", cursor)], cancellationToken);

    private static JsonArray? Array(string[]? values) => values is null ? null : new JsonArray([.. values.Select(v => (JsonNode?)v)]);

    private static List<KeyValuePair<string, JsonNode?>> Common(string? trace, int tokenBudget, string? model, string? cursor) =>
    [
        new("trace", trace),
        new("token_budget", tokenBudget),
        new("model", model),
        new("cursor", cursor),
    ];

    private static List<KeyValuePair<string, JsonNode?>> With(List<KeyValuePair<string, JsonNode?>> parameters, params (string Name, JsonNode? Value)[] more)
    {
        foreach (var (name, value) in more)
            parameters.Add(new(name, value));
        return parameters;
    }

    /// <summary>Hands the request to the surface, which calls the server and shapes the answer.</summary>
    private Task<object?> CallAsync(string method, List<KeyValuePair<string, JsonNode?>> parameters, CancellationToken cancellationToken) =>
        invoker.InvokeAsync(new ToolRequest(method, parameters), cancellationToken);
}
