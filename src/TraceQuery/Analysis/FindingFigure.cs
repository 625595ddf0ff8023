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

    /// <summary>A sum of stack-sample weights (sampled CPU or waiting time): neither a duration nor a self time of a call.</summary>
    SampledTime,

    /// <summary>A number of bytes (of a file the reader read or ignored).</summary>
    Bytes,
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

    /// <summary>The number of calls on the thread of event Subject that never ended (neither their RETURN nor an unwinding EXCEPTION): the stack left open where the thread's events end.</summary>
    OpenAtEnd,

    /// <summary>The number of events of the thread of event Subject that the reader recovered from an index file without footer (its whole 32-byte events after the header).</summary>
    EventsRecovered,

    /// <summary>The bytes of the index file of the thread of event Subject that are neither header nor whole events (a cut event).</summary>
    IndexBytesIgnored,

    /// <summary>The bytes of the detail file of the thread of event Subject after its last whole record (a cut record).</summary>
    DetailBytesIgnored,

    /// <summary>The events of the thread of event Subject whose detail link points past the last whole detail record.</summary>
    DetailLinksDropped,

    /// <summary>The number of calls of function Subject that ended with an error status and raised no exception.</summary>
    ErrorSpans,

    /// <summary>Of the calls counted by <see cref="ErrorSpans"/>, those with a direct callee that failed (raised an exception or ended with an error status).</summary>
    ErrorSpansAfterFailedCallee,

    /// <summary>Of the EXCEPTION events counted by <see cref="SurvivedExceptions"/>, those whose call has a direct callee that failed.</summary>
    ExceptionsAfterFailedCallee,

    /// <summary>
    /// The number of EXCEPTION events raised in function Subject that their thread survived: all but a thread's fatal
    /// one (its last event, or its last but one when the throwing frame's RETURN follows and outer frames stay open).
    /// </summary>
    SurvivedExceptions,

    /// <summary>The number of log records (spans) with the function name and the body of event Subject.</summary>
    LogRecords,

    /// <summary>
    /// The CPU samples (Count) or their weight (SampledTime) in the scope: the whole trace, or with span Subject the
    /// samples on its thread while it ran (start ≤ time &lt; end).
    /// </summary>
    SampledCpu,

    /// <summary>The waiting samples (Count) or their weight (SampledTime) in the scope (see <see cref="SampledCpu"/>).</summary>
    SampledWaiting,

    /// <summary>The CPU samples (or their weight) in the scope whose leaf frame is function <see cref="FindingFigure.Frames"/>[0].</summary>
    SampledLeaf,

    /// <summary>The CPU samples (or their weight) in the scope with function <see cref="FindingFigure.Frames"/>[0] anywhere on the stack (once per sample).</summary>
    SampledOnStack,

    /// <summary>The CPU samples (or their weight) in the scope whose stack has Frames[0] directly calling Frames[1].</summary>
    SampledUnder,

    /// <summary>The CPU samples (or their weight) in the scope whose whole stack, root first, is <see cref="FindingFigure.Frames"/>.</summary>
    SampledPath,
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

    /// <summary>The function names a sampled basis is over (stack samples name functions, not ids): one function, a caller and its callee, or a whole stack root first.</summary>
    public IReadOnlyList<string> Frames { get; init; } = [];

    /// <summary>False for an intermediate figure that the text does not print (an operand of a printed one).</summary>
    public bool Printed { get; init; } = true;
}
