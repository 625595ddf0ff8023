using TraceQuery.Model.Internals;

namespace TraceQuery.Model;

public sealed partial class ExecutionTrace
{
    private readonly SpanSideTables _side;

    /// <summary>
    /// The attributes of the span whose CALL is at <paramref name="eventIndex"/> (Chrome <c>args</c>, OTLP attributes);
    /// false when it has none. A sparse side table: O(log spans with attributes), no allocation.
    /// </summary>
    public bool TryGetAttributes(int eventIndex, out EventAttributes attributes)
    {
        if (_side.Attributes.TryGet(eventIndex, out var found))
        {
            attributes = found;
            return true;
        }
        attributes = EventAttributes.Empty;
        return false;
    }

    /// <summary>Indices of the CALL events that have attributes, ascending (what a filter on attributes walks).</summary>
    public ReadOnlySpan<int> EventsWithAttributes => _side.Attributes.Keys;

    /// <summary>The attributes of the <paramref name="ordinal"/>-th entry of <see cref="EventsWithAttributes"/>.</summary>
    public EventAttributes GetAttributesAt(int ordinal) => _side.Attributes.ValueAt(ordinal);

    /// <summary>
    /// The span events recorded inside the span whose CALL is at <paramref name="eventIndex"/> (OTLP span events, Chrome
    /// instants inside an async span), by time; empty when none. O(log spans with events).
    /// </summary>
    public IReadOnlyList<SpanEvent> GetSpanEvents(int eventIndex) =>
        _side.SpanEvents.TryGet(eventIndex, out var events) ? events : [];

    /// <summary>Number of spans that hold span events.</summary>
    public int SpansWithEventsCount => _side.SpanEvents.Count;

    /// <summary>Links between spans (Chrome flows, OTLP span links), by the CALL events of both ends, in the order added.</summary>
    public IReadOnlyList<SpanLink> Links => _side.Links;

    /// <summary>
    /// The producer-convention marks of the span whose CALL is at <paramref name="eventIndex"/> (aggregate row,
    /// envelope, pseudo-frame); <see cref="SpanMarks.None"/> for any other event. O(1).
    /// </summary>
    public SpanMarks GetMarks(int eventIndex) => _side.Marks is { } marks ? marks[eventIndex] : SpanMarks.None;

    /// <summary>
    /// The error-status message of the span whose CALL is at <paramref name="eventIndex"/> (OTLP status ERROR without an
    /// exception event, Chrome <c>args.error</c>); empty when the source gave no description; false for a span without
    /// an error status. O(log spans with an error status).
    /// </summary>
    public bool TryGetErrorStatus(int eventIndex, out string message)
    {
        if (_side.ErrorStatuses.TryGet(eventIndex, out var found))
        {
            message = found;
            return true;
        }
        message = "";
        return false;
    }

    /// <summary>Indices of the CALL events of spans that ended with an error status, ascending.</summary>
    public ReadOnlySpan<int> EventsWithErrorStatus => _side.ErrorStatuses.Keys;

    /// <summary>True when any span carries a mark (so analysis can skip the lookups otherwise).</summary>
    public bool HasMarks => _side.Marks is not null;
}
