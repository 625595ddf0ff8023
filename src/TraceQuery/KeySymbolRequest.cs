using TraceQuery.Analysis;

namespace TraceQuery;

/// <summary>A <see cref="QueryEngine.PlanKeySymbols(Model.ExecutionTrace, KeySymbolRequest, CancellationToken)"/> request: the functions most relevant to a symptom, and the sets to trace.</summary>
public sealed record KeySymbolRequest : TraceRequest
{
    /// <summary>The problem in plain words (<c>hang when saving the journal</c>). Required, not blank.</summary>
    public required string Symptom { get; init; }

    /// <summary>Modules, functions and files the caller suspects; null for none.</summary>
    public KeySymbolHints? Hints { get; init; }

    /// <summary>How many functions to rank (at least 1). Default 10.</summary>
    public int TopK { get; init; } = 10;
}
