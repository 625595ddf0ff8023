namespace TraceQuery.Model;

/// <summary>
/// Something that happened inside a span at one moment and is not a call: an OTLP span event other than an
/// exception, a Chrome instant or async step inside a span. Reached from the span's CALL event
/// (<see cref="ExecutionTrace.GetSpanEvents"/>).
/// </summary>
/// <param name="TimestampNs">When it happened, in nanoseconds (the trace's clock).</param>
/// <param name="Name">Its name.</param>
/// <param name="Attributes">Its attributes, bounded and clipped like span attributes.</param>
public sealed record SpanEvent(long TimestampNs, string Name, EventAttributes Attributes);
