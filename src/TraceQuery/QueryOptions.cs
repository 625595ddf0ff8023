namespace TraceQuery;

/// <summary>Per-query options of <see cref="QueryEngine"/>. Defaults suit an agent's first look at a trace.</summary>
public sealed record QueryOptions
{
    /// <summary>Default options.</summary>
    public static QueryOptions Default { get; } = new();

    /// <summary>At most this many findings are candidates for the summary. Default 50.</summary>
    public int MaxFindings { get; init; } = 50;

    /// <summary>Include the ten-slice timeline sketch when budget remains. Default true.</summary>
    public bool IncludeTimeline { get; init; } = true;

    /// <summary>Count tokens for this model instead of the engine's (e.g. <c>gpt-4</c>); null keeps the engine's.</summary>
    public string? Model { get; init; }
}
