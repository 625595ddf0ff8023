namespace TraceQuery.Analysis;

/// <summary>What <see cref="Analyzer.Analyze"/> found: per-function statistics and ranked findings.</summary>
/// <param name="Functions">Statistics of every function with at least one analysed span, ordered by function id.</param>
/// <param name="Findings">Findings ranked by severity, then evidence strength; the order is deterministic.</param>
/// <param name="SpansAnalyzed">Call spans the statistics cover (all, or those touched by the selection).</param>
/// <param name="TotalSpans">All call spans of the trace.</param>
public sealed record AnalysisResult(
    IReadOnlyList<FunctionStats> Functions,
    IReadOnlyList<Finding> Findings,
    int SpansAnalyzed,
    int TotalSpans);
