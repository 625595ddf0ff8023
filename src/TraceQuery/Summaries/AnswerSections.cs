namespace TraceQuery.Summaries;

/// <summary>
/// Every section heading an answer prints, in one place: the budget fitter prints a heading once before the first line
/// of its section on a page, so two answers that share a section share its wording.
/// </summary>
internal static class AnswerSections
{
    /// <summary>Findings by severity (summary, findings search).</summary>
    public const string Findings = "## Findings";

    /// <summary>Hot functions by self time (summary).</summary>
    public const string HotFunctions = "## Hot functions (self time)";

    /// <summary>The timeline sketch (summary).</summary>
    public const string Timeline = "## Timeline";

    /// <summary>The events a filter selects (summary, event query).</summary>
    public const string MatchingEvents = "## Matching events";

    /// <summary>A trace's shape and recovery report (info).</summary>
    public const string Info = "## Info";

    /// <summary>Evidence references resolved (events lookup).</summary>
    public const string Resolved = "## Resolved";

    /// <summary>Call spans by function, thread, status and duration (spans list).</summary>
    public const string Spans = "## Spans";

    /// <summary>Functions ranked by one statistic (top functions).</summary>
    public const string Functions = "## Functions";

    /// <summary>The neighbourhood of an anchor (scoped search).</summary>
    public const string Around = "## Around the anchor (time order; offsets from the anchor)";

    /// <summary>Functions ranked for a symptom (key symbols).</summary>
    public const string KeyFunctions = "## Key functions (score · calls · reasons)";

    /// <summary>Function-id sets per module (key symbols).</summary>
    public const string KeyFunctionSets = "## Function sets to trace, per module (base64; first byte 0x01 bitset, 0x02 delta list; FunctionIdSet.DecodeFunctionIds)";
}
