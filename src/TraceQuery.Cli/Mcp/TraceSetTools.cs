using System.ComponentModel;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TraceQuery.Protocol;

namespace TraceQuery.Cli.Mcp;

/// <summary>
/// The MCP tools over more than one trace: <c>fleet_summary</c> (<c>traces.fleet</c>) and <c>diff_runs</c>
/// (<c>traces.diff</c>). Like <see cref="TraceQueryTools"/>, each builds one server request and returns the answer's text.
/// </summary>
[McpServerToolType]
internal sealed class TraceSetTools(TraceQueryServer server)
{
    private const string BudgetDescription =
        "Largest answer in tokens, counted with the model's tokenizer. Default 4096; the server caps it at its maximum (20000 unless configured) and says so.";

    private const string ModelDescription =
        "Model whose tokenizer counts token_budget: gpt-4o (default), gpt-4o-mini, gpt-4.1, o3, gpt-4, o200k_base, cl100k_base, …";

    private const string CursorDescription =
        "To continue a cut answer: the cursor from its last line. Repeat the other arguments unchanged.";

    private const string Paging =
        " The text fits token_budget; when something was left out, its last line says what and gives a cursor for the next page.";

    /// <summary>traces.fleet: one answer over a folder of traces.</summary>
    [McpServerTool(Name = "fleet_summary", Title = "Summarize a folder of runs", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("One answer over every trace in a folder (searched recursively): how many runs, which failed and where, grouped by culprit "
        + "(\"crash in parse_header: 9 of 200 runs; first in runs/run-17\"), the hot functions whose p95 differs most between runs, runs that stand out "
        + "by errors or duration, then one line per run. Evidence names its trace (trace:<name> event:1:3001); pass <name> as trace to the single-trace tools." + Paging)]
    public Task<CallToolResult> Fleet(
        [Description("Folder relative to the server's trace root, e.g. \"runs\" or \"nightly/2026-12-04\"; omit for the whole root.")] string? folder = null,
        [Description("Event filter applied to every trace (same language as trace_query), e.g. \"error\" or \"fn:parse_*\"; omit for whole traces.")] string? filter = null,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync("traces.fleet", [new("folder", folder), new("filter", filter), new("token_budget", token_budget), new("model", model), new("cursor", cursor)], cancellationToken);

    /// <summary>traces.diff: what changed from one run to another.</summary>
    [McpServerTool(Name = "diff_runs", Title = "Diff two runs", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Compare a candidate run with a baseline run: errors and findings new in the candidate (with messages), functions whose call count, p50, p95 "
        + "or self time changed beyond both a relative and an absolute threshold with enough calls (largest impact first, slower or faster), functions "
        + "that appear or vanish, what is gone, and which functions did not change. Evidence names its run (trace:<name>)." + Paging)]
    public Task<CallToolResult> Diff(
        [Description("The reference run, relative to the server's trace root (a session directory or a JSON trace file).")] string baseline,
        [Description("The run to judge, in the same form.")] string candidate,
        [Description("Smallest change that counts, as a share of the baseline: 0.25 (default) = 25%.")] double? min_relative = null,
        [Description("Smallest change of p50, p95 or self time that counts: nanoseconds or text with a unit, e.g. \"1us\" (default) or \"2ms\".")] string? min_absolute = null,
        [Description("Calls a function needs in both runs before its durations are compared (default 20).")] int? min_calls = null,
        [Description("Smallest change of a call count or an error count that counts (default 10).")] int? min_count = null,
        [Description(BudgetDescription)] int token_budget = 4096,
        [Description(ModelDescription)] string? model = null,
        [Description(CursorDescription)] string? cursor = null,
        CancellationToken cancellationToken = default) =>
        CallAsync("traces.diff", [new("baseline", baseline), new("candidate", candidate), new("min_relative", min_relative), new("min_absolute", min_absolute),
            new("min_calls", min_calls), new("min_count", min_count), new("token_budget", token_budget), new("model", model), new("cursor", cursor)], cancellationToken);

    /// <summary>The answer's text as the tool result; an error response becomes an error result with the server's message.</summary>
    private async Task<CallToolResult> CallAsync(string method, List<KeyValuePair<string, JsonNode?>> parameters, CancellationToken cancellationToken)
    {
        var reply = await ServerCall.SendAsync(server, method, parameters, cancellationToken).ConfigureAwait(false);
        var result = new CallToolResult
        {
            Content = [new TextContentBlock { Text = reply.Text }],
            IsError = reply.IsError ? true : null,
            Meta = new JsonObject { ["tracequery"] = reply.Fields },
        };
        if (reply.BudgetNote is { } note)
            result.Content.Add(new TextContentBlock { Text = "Note: " + note + "." });
        return result;
    }
}
