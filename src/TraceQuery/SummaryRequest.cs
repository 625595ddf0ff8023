namespace TraceQuery;

/// <summary>A <see cref="QueryEngine.Summarize"/> request: the narrative summary (findings, hot functions, timeline, matching events).</summary>
public sealed record SummaryRequest : TraceRequest
{
    /// <summary>Filter text (see the README's grammar); null or empty for the whole trace.</summary>
    public string? Filter { get; init; }

    /// <summary>At most this many findings are candidates for the summary. Default 50.</summary>
    public int MaxFindings { get; init; } = 50;

    /// <summary>Include the ten-slice timeline sketch when budget remains. Default true.</summary>
    public bool IncludeTimeline { get; init; } = true;
}
