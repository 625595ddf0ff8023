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

    /// <summary>Self time with the reader's pseudo-frames (dotnet-trace <c>CPU_TIME</c>) folded into their callers (summary).</summary>
    public const string FoldedSelf = "## Hot functions with pseudo-frames folded into their callers (self time)";

    /// <summary>Functions with the most total time that the self-time list does not show (summary).</summary>
    public const string LongestByTotal = "## Longest by total time (children included)";

    /// <summary>The threads that did the work (summary).</summary>
    public const string Threads = "## Busiest threads";

    /// <summary>Counter series the source held (summary).</summary>
    public const string Counters = "## Counters";

    /// <summary>The timeline sketch (summary).</summary>
    public const string Timeline = "## Timeline";

    /// <summary>The stack samples' hot functions (sampled self and total time) and hot paths.</summary>
    public const string SampledFunctions = "## Sampled functions (stack samples; self = leaf, total = on the stack)";

    /// <summary>The stack samples' hot functions (sampled self and total time) and hot paths.</summary>
    public const string SampledCpu = "## Sampled CPU (stack samples; waiting samples are not CPU)";

    /// <summary>What the stack samples in a scoped search's window say (scoped search).</summary>
    public const string SampledAround = "## Sampled CPU in the window (stack samples; waiting samples are not CPU)";

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

    /// <summary>Findings grouped by kind and culprit across runs (fleet).</summary>
    public const string FleetGroups = "## Failures and findings by culprit (runs affected)";

    /// <summary>Hot functions whose p95 differs most between runs (fleet).</summary>
    public const string FleetSpreads = "## Hot functions that differ most between traces (p95)";

    /// <summary>Sampled functions whose share of sampled CPU differs most between runs (fleet).</summary>
    public const string FleetSampledSpreads = "## Sampled functions that differ most between traces (self share of sampled CPU)";

    /// <summary>Sampled functions whose share of sampled CPU changed (diff).</summary>
    public const string DiffSampled = "## Sampled CPU changes (share of each run's sampled CPU; self = leaf, total = on the stack)";

    /// <summary>Runs that stand out by errors or duration (fleet).</summary>
    public const string FleetOutliers = "## Outlier traces";

    /// <summary>One line per run, failed first (fleet).</summary>
    public const string FleetTraces = "## Traces (failed first)";

    /// <summary>Errors and findings new in the candidate (diff).</summary>
    public const string DiffNew = "## New in the candidate: errors and findings";

    /// <summary>Functions changed beyond the thresholds, largest impact first (diff).</summary>
    public const string DiffChanged = "## Changed functions (largest impact first)";

    /// <summary>Functions that appear or vanish (diff).</summary>
    public const string DiffPresence = "## Functions that appear or vanish";

    /// <summary>Errors and findings gone or fewer in the candidate (diff).</summary>
    public const string DiffGone = "## Gone or fewer in the candidate: errors and findings";

    /// <summary>Functions unchanged, and those with too few calls to judge (diff).</summary>
    public const string DiffUnchanged = "## Unchanged functions";
}
