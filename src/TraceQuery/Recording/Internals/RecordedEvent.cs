namespace TraceQuery.Recording.Internals;

/// <summary>
/// One entry of the recorder's ring. Times are <see cref="DateTime"/> ticks (UTC, 100 ns) as the activity
/// reports them; texts are references to strings the activity already holds (status description, the
/// <c>exception.type</c> / <c>exception.message</c> tag values), never copies.
/// </summary>
internal struct RecordedEvent
{
    /// <summary>The activity's span id as a number (never 0).</summary>
    public ulong SpanId;

    /// <summary>The parent's span id, 0 for a root.</summary>
    public ulong ParentSpanId;

    /// <summary>The activity's start time (ticks).</summary>
    public long StartTicks;

    /// <summary>The time of what the entry records: the start, the stop, or the exception event (ticks).</summary>
    public long TimeTicks;

    /// <summary>Index in the recorder's <see cref="FunctionTable"/>.</summary>
    public int Function;

    /// <summary>Managed id of the thread the callback ran on (the starting thread for a start).</summary>
    public int ThreadId;

    /// <summary>What the entry records.</summary>
    public RecordedKind Kind;

    /// <summary>For a stop: the activity ended with <see cref="System.Diagnostics.ActivityStatusCode.Error"/>.</summary>
    public bool Failed;

    /// <summary>Stop: the status description; exception: the <c>exception.message</c> tag value.</summary>
    public object? Text;

    /// <summary>Exception: the <c>exception.type</c> tag value.</summary>
    public object? Type;
}
