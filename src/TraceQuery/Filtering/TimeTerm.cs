namespace TraceQuery.Filtering;

/// <summary>
/// A time window relative to the trace start, in nanoseconds: <c>time:1.5s..2s</c> is
/// <c>[1.5 s, 2 s)</c> (from inclusive, to exclusive); <c>time&gt;=1ms</c> has no upper end; <c>time&lt;5ms</c>
/// no lower end. Null means unbounded on that side.
/// </summary>
public sealed record TimeTerm(long? FromNs, long? ToNs) : FilterNode;
