namespace TraceQuery.Model;

/// <summary>How a call span ended.</summary>
public enum SpanStatus : byte
{
    /// <summary>Closed by its own RETURN.</summary>
    Complete = 0,

    /// <summary>
    /// Never closed by its own RETURN: still open when the thread's events end (<see cref="CallSpans.GetEndEvent"/>
    /// is -1), or skipped when an outer frame returned (end = that RETURN).
    /// </summary>
    Unmatched = 1,

    /// <summary>Closed by an EXCEPTION raised in it or in a frame it called (end = the EXCEPTION event).</summary>
    Unwound = 2,

    /// <summary>A RETURN with no open CALL to close; the span starts and ends at that RETURN.</summary>
    OrphanReturn = 3,

    /// <summary>
    /// Closed by its own RETURN, but the source says it failed (OTLP status ERROR, Chrome <c>args.error</c>); the
    /// message is <see cref="ExecutionTrace.TryGetErrorStatus"/>. A complete span as far as pairing goes.
    /// </summary>
    Error = 4,
}
