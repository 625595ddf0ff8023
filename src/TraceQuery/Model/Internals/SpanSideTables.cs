namespace TraceQuery.Model.Internals;

/// <summary>What a span-based source adds beside the columns: attributes, span events, links and marks, keyed by CALL event index.</summary>
internal sealed class SpanSideTables
{
    public static SpanSideTables Empty { get; } = new();

    public EventSideTable<EventAttributes> Attributes { get; init; } = EventSideTable<EventAttributes>.Empty;

    public EventSideTable<SpanEvent[]> SpanEvents { get; init; } = EventSideTable<SpanEvent[]>.Empty;

    public SpanLink[] Links { get; init; } = [];

    /// <summary>The error-status message (empty when the source gave none) of spans that ended with an error status, by CALL index.</summary>
    public EventSideTable<string> ErrorStatuses { get; init; } = EventSideTable<string>.Empty;

    /// <summary>Per event, the marks of the span its CALL opens; null when no span has a mark.</summary>
    public SpanMarks[]? Marks { get; init; }
}
