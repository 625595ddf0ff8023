namespace TraceQuery;

/// <summary>
/// What every typed <see cref="QueryEngine"/> request carries besides its own arguments: the token budget, the cursor
/// of the previous page, and the model whose tokenizer counts.
/// </summary>
public abstract record TraceRequest
{
    /// <summary>Largest token count of the answer. Default 4,096.</summary>
    public int TokenBudget { get; init; } = 4096;

    /// <summary>The <see cref="QueryResult.NextCursor"/> of the previous page of the same request, to continue; null for the first page.</summary>
    public string? Cursor { get; init; }

    /// <summary>Count tokens for this model instead of the engine's (e.g. <c>gpt-4</c>); null keeps the engine's.</summary>
    public string? Model { get; init; }
}
