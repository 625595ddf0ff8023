namespace TraceQuery;

/// <summary>How much an event listing (<see cref="QueryEngine.Query"/>) shows of each event.</summary>
public enum EventProjection
{
    /// <summary>Reference, kind and function.</summary>
    Minimal,

    /// <summary>Also the offset into the trace, depth, span duration on returns, message, and whether a detail record exists.</summary>
    Full,
}
