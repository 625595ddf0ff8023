namespace TraceQuery;

/// <summary>
/// A <see cref="QueryEngine.SearchScoped(Model.ExecutionTrace, ScopedSearchRequest, CancellationToken)"/> request: what
/// happened around an anchor, on every thread, in time order.
/// </summary>
public sealed record ScopedSearchRequest : TraceRequest
{
    /// <inheritdoc cref="ScopedSearchOptions.Anchor"/>
    public required string Anchor { get; init; }

    /// <inheritdoc cref="ScopedSearchOptions.LookBackNs"/>
    public long? LookBackNs { get; init; }

    /// <inheritdoc cref="ScopedSearchOptions.LookAheadNs"/>
    public long? LookAheadNs { get; init; }

    /// <inheritdoc cref="ScopedSearchOptions.Filter"/>
    public string? Filter { get; init; }

    /// <inheritdoc cref="ScopedSearchOptions.IncludeDetail"/>
    public bool IncludeDetail { get; init; } = true;
}
