namespace TraceQuery.Analysis;

/// <summary>What a <see cref="FindingFigure"/> measures. Duration and self time are never mixed in one ratio or share.</summary>
public enum FigureMeasure
{
    /// <summary>A number of calls, events or spans.</summary>
    Count,

    /// <summary>Wall time of a call (RETURN − CALL), a statistic of such times, or the trace's length.</summary>
    Duration,

    /// <summary>Time in a function itself: its duration minus the durations of its traced children.</summary>
    SelfTime,

    /// <summary>A quotient of two figures of one measure, printed as <c>85×</c>.</summary>
    Ratio,

    /// <summary>A quotient of two figures of one measure, printed as a percentage.</summary>
    Share,

    /// <summary>A point in time, as an offset from the trace's first timestamp.</summary>
    Time,

    /// <summary>A call-stack depth or a number of stack frames.</summary>
    Depth,
}

/// <summary>
/// How a <see cref="FindingFigure"/> is obtained, so that it can be recomputed from the trace: over the calls of
/// <see cref="FindingFigure.Subject"/> (a function; none for all functions), of one span, one event, or from other
/// figures of the same finding (<see cref="FindingFigure.Left"/>, <see cref="FindingFigure.Right"/>).
/// </summary>
public enum FigureBasis
{
    /// <summary>An analyzer option (<see cref="AnalyzerOptions"/>), not read from the trace.</summary>
    Setting,

    /// <summary>The duration of span Subject, or with no subject the trace's length (last − first timestamp).</summary>
    SpanDuration,

    /// <summary>The self time of span Subject.</summary>
    SpanSelfTime,

    /// <summary>The number of calls (spans) of function Subject, or of all functions.</summary>
    Calls,

    /// <summary>The sum of the measure (duration or self time) over the calls of function Subject, or of all functions.</summary>
    Total,

    /// <summary>The exact percentile <see cref="FindingFigure.Argument"/> (0–1, linear interpolation) of the measure over the calls of function Subject.</summary>
    Percentile,

    /// <summary>The largest measure (duration or self time) of one call of function Subject.</summary>
    Maximum,

    /// <summary>The number of calls of function Subject whose measure is at least figure Left.</summary>
    CallsAtLeast,

    /// <summary>The sum, over the calls of function Subject whose measure is at least figure Left, of the measure minus figure Right.</summary>
    ExcessOver,

    /// <summary>The number of EXCEPTION events raised in function Subject.</summary>
    Exceptions,

    /// <summary>The number of calls of function Subject that did not end with their own RETURN, for the reason named by <see cref="FindingFigure.Name"/> (<c>unwound</c>, <c>missing-return</c>, <c>thread-end</c>, <c>trace-end</c>, <c>orphan-return</c>).</summary>
    Unmatched,

    /// <summary>The time of event Subject since the trace's first timestamp.</summary>
    EventTime,

    /// <summary>The call-stack depth of event Subject.</summary>
    EventDepth,

    /// <summary>The number of calls open around event Subject (its span and that span's ancestors).</summary>
    OpenFrames,

    /// <summary>Figure Left divided by figure Right (same measure; Right is never zero).</summary>
    Quotient,

    /// <summary>Figure Left times figure Right.</summary>
    Product,

    /// <summary>Figure Left plus figure Right.</summary>
    Sum,

    /// <summary>Figure Left minus figure Right.</summary>
    Difference,

    /// <summary>The larger of figures Left and Right.</summary>
    Larger,
}

/// <summary>
/// One number a <see cref="Finding"/> prints, with what it is and how it was obtained; the finding's text is rendered
/// from these figures, so a test can recompute each of them from the trace.
/// </summary>
/// <param name="Name">What the figure stands for in the finding (<c>p50</c>, <c>threshold</c>, <c>slowest</c>, …).</param>
/// <param name="Measure">What kind of quantity it is.</param>
/// <param name="Basis">How it is obtained.</param>
/// <param name="Value">Its value: nanoseconds for times, a fraction for shares.</param>
/// <param name="Text">How it is printed in the finding's title or rationale.</param>
public sealed record FindingFigure(string Name, FigureMeasure Measure, FigureBasis Basis, double Value, string Text)
{
    /// <summary>The function, span or event the basis is computed over; none for the whole trace.</summary>
    public EvidenceRef? Subject { get; init; }

    /// <summary>The basis's parameter (the fraction of a <see cref="FigureBasis.Percentile"/>).</summary>
    public double Argument { get; init; }

    /// <summary>Index in <see cref="Finding.Figures"/> of the first operand; -1 when none.</summary>
    public int Left { get; init; } = -1;

    /// <summary>Index in <see cref="Finding.Figures"/> of the second operand; -1 when none.</summary>
    public int Right { get; init; } = -1;

    /// <summary>False for an intermediate figure that the text does not print (an operand of a printed one).</summary>
    public bool Printed { get; init; } = true;
}
