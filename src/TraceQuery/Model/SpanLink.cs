namespace TraceQuery.Model;

/// <summary>
/// A causal link from one span to another (a Chrome flow arrow, an OTLP span link), by the CALL event of
/// each span: <c>trace.Spans.SpanOfEvent[FromEvent]</c> gives the span id.
/// </summary>
/// <param name="FromEvent">Index of the CALL event of the span the link starts at.</param>
/// <param name="ToEvent">Index of the CALL event of the span the link points to.</param>
/// <param name="Kind">What the producer called it (<c>flow</c>, <c>flow:ac2g</c>, <c>link</c>, …).</param>
public readonly record struct SpanLink(int FromEvent, int ToEvent, string Kind);
