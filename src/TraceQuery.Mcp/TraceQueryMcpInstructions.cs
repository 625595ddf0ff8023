using TraceQuery.Protocol;

namespace TraceQuery.Mcp;

/// <summary>What a model should know before its first call, for a host to put in its server instructions (the <c>tracequery mcp</c> command does).</summary>
public static class TraceQueryMcpInstructions
{
    /// <summary>Sessions listed in the instructions, at most.</summary>
    private const int ListedSessions = 30;

    /// <summary>
    /// Where to start, which tool does what, and which traces <paramref name="options"/>' root holds at this moment (at most 30
    /// named). O(directories under the root, two levels deep).
    /// </summary>
    public static string Create(TraceQueryServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = new System.Text.StringBuilder(
            "TraceQuery answers questions about execution traces (ATF sessions, Chrome Trace Event or OTLP JSON files) within a token budget. "
            + "Start with trace_summary (or trace_info), follow evidence references (event:, span:, fn:) with get_events, "
            + "narrow with trace_query filters, list_spans and top_functions, and use find_findings to match a symptom. "
            + "Look around an anchor (a crash event, a slow span, a time) with search_around; ask plan_key_symbols which functions matter for a symptom. "
            + "Over a folder of runs use fleet_summary; compare two runs with diff_runs. "
            + "Every answer fits token_budget (default 4096); a cut answer ends with a cursor for the next page.");
        if (options.TraceRoot is { } root)
        {
            var sessions = TraceCatalog.List(root).Select(e => e.Name).Take(ListedSessions + 1).ToList();
            if (sessions.Count == 0)
                text.Append(" No trace session was found under the root at startup.");
            else if (sessions.Count == 1 && sessions[0] == ".")
                text.Append(" The root is itself a session: omit the trace argument.");
            else
                text.Append(" Sessions under the root at startup (pass one as trace): ").Append(string.Join(", ", sessions.Take(ListedSessions)))
                    .Append(sessions.Count > ListedSessions ? ", …" : "").Append('.');
        }
        return text.ToString();
    }
}
