namespace TraceQuery;

/// <summary>A <see cref="QueryEngine.Query"/> request: the events a filter selects, in trace order, repeats folded.</summary>
public sealed record EventQueryRequest : TraceRequest
{
    /// <summary>Filter text (see the README's grammar); null or empty for every event.</summary>
    public string? Filter { get; init; }

    /// <summary>How much of each event to show. Default <see cref="EventProjection.Minimal"/>.</summary>
    public EventProjection Projection { get; init; } = EventProjection.Minimal;

    /// <summary>List at most this many events (at least 1); null for all.</summary>
    public int? Limit { get; init; }
}
