namespace TraceQuery.Model;

/// <summary>One call span with everything resolved.</summary>
/// <param name="Id">Span id (<c>span:&lt;id&gt;</c>).</param>
/// <param name="ThreadId">Thread id.</param>
/// <param name="FunctionId">Function id.</param>
/// <param name="Depth">Call depth (1 = outermost).</param>
/// <param name="StartNs">Start timestamp.</param>
/// <param name="EndNs">End timestamp (the thread's last timestamp when still open).</param>
/// <param name="Status">How it ended.</param>
/// <param name="ParentId">Enclosing span id, or -1.</param>
/// <param name="StartEvent">Index of the opening event.</param>
/// <param name="EndEvent">Index of the closing event, or -1.</param>
/// <param name="RaisedException">True when an EXCEPTION was raised in this frame.</param>
public readonly record struct CallSpan(
    int Id, uint ThreadId, ulong FunctionId, uint Depth, long StartNs, long EndNs, SpanStatus Status,
    int ParentId, int StartEvent, int EndEvent, bool RaisedException)
{
    /// <summary>End minus start.</summary>
    public long DurationNs => EndNs - StartNs;

    /// <summary>The evidence reference, <c>span:&lt;id&gt;</c>.</summary>
    public string Ref => "span:" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
