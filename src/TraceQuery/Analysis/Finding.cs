namespace TraceQuery.Analysis;

/// <summary>What kind of problem a <see cref="Finding"/> reports.</summary>
public enum FindingKind
{
    /// <summary>A thread ended on an exception: the trace shows where it died and its open stack.</summary>
    Crash,

    /// <summary>Exceptions raised in a function that the thread survived.</summary>
    Exception,

    /// <summary>A call (finished or still open) that took an extreme share of the trace.</summary>
    Hang,

    /// <summary>Calls far slower than their function's typical call, on the duration (or, for functions with children, the self-time) distribution.</summary>
    LatencyOutlier,

    /// <summary>Paired operations (alloc/free, open/close, …) whose call counts differ.</summary>
    LeakImbalance,

    /// <summary>Calls without their RETURN: unwound by an exception, cut at the end of the trace or of a thread.</summary>
    UnmatchedSpans,

    /// <summary>A function dominating calls or self time.</summary>
    HotSpot,

    /// <summary>
    /// Errors the source recorded without an exception: spans that ended with an error status (OTLP status ERROR,
    /// Chrome <c>args.error</c>) and log records at ERROR or above, with their messages.
    /// </summary>
    Error,
    /// <summary>A function holding a large share of the sampled CPU time (stack samples), with the path it is reached by.</summary>
    SampledHotSpot,
    /// <summary>Async stages (spans on an async track: waiting, not CPU work) far slower than the stage's typical duration.</summary>
    LatencyStage,
}

/// <summary>How urgent a finding is; lower values are more severe and come first.</summary>
public enum Severity
{
    /// <summary>The program failed (crash).</summary>
    Critical = 0,
    /// <summary>The program stalled or lost work (hang).</summary>
    High = 1,
    /// <summary>Likely a defect (leak, handled exceptions, errors).</summary>
    Medium = 2,
    /// <summary>Worth knowing (spans unwound by an exception or that lost their RETURN).</summary>
    Low = 3,
    /// <summary>Context: nothing failed (hot spots, latency outliers and stages, spans open when the recording stopped, sampled CPU).</summary>
    Info = 4,
}

/// <summary>A problem the analyzer found, with the evidence that supports it.</summary>
/// <param name="Kind">What kind of problem.</param>
/// <param name="Severity">How urgent.</param>
/// <param name="Title">One line naming the culprit (function names included).</param>
/// <param name="Rationale">Why the analyzer believes it: the numbers behind it.</param>
/// <param name="Evidence">Stable references, strongest first.</param>
/// <param name="FunctionId">The culprit function, when the finding has one.</param>
/// <param name="Score">Strength of the evidence within its kind (higher is stronger); orders findings of equal severity.</param>
public sealed record Finding(
    FindingKind Kind,
    Severity Severity,
    string Title,
    string Rationale,
    IReadOnlyList<EvidenceRef> Evidence,
    ulong? FunctionId,
    double Score)
{
    /// <summary>Every number the title and rationale print, with what it is and how it was obtained (see <see cref="FindingFigure"/>).</summary>
    public IReadOnlyList<FindingFigure> Figures { get; init; } = [];
}
