using TraceQuery.Analysis;

namespace TraceQuery.Fleet;

/// <summary>What changed from a baseline run to a candidate run (see <see cref="RunComparer.Compare"/>). Every list is in a stable order.</summary>
/// <param name="Baseline">Size of the baseline.</param>
/// <param name="Candidate">Size of the candidate.</param>
/// <param name="Changed">Functions in both runs with at least one change beyond the thresholds, largest impact first (ties: name, module).</param>
/// <param name="Appeared">Functions only the candidate calls, most calls first.</param>
/// <param name="Vanished">Functions only the baseline calls, most calls first.</param>
/// <param name="Unchanged">Functions in both runs with no change beyond the thresholds and enough calls to judge, by name.</param>
/// <param name="NotJudged">Functions in both runs with fewer calls than <see cref="RunDiffOptions.MinCalls"/> in one of them and no count change, by name.</param>
/// <param name="Errors">Errors new, gone, or more or fewer: new first (most first), then more, fewer, gone.</param>
/// <param name="NewFindings">Findings of the candidate with no finding of the same kind and function in the baseline, ranked.</param>
/// <param name="GoneFindings">Findings of the baseline with no counterpart in the candidate, ranked.</param>
public sealed record RunDiff(
    RunFacts Baseline,
    RunFacts Candidate,
    IReadOnlyList<FunctionChange> Changed,
    IReadOnlyList<FunctionChange> Appeared,
    IReadOnlyList<FunctionChange> Vanished,
    IReadOnlyList<FunctionChange> Unchanged,
    IReadOnlyList<FunctionChange> NotJudged,
    IReadOnlyList<ErrorChange> Errors,
    IReadOnlyList<Finding> NewFindings,
    IReadOnlyList<Finding> GoneFindings)
{
    /// <summary>
    /// Sampled functions whose share of the run's sampled CPU (self or total) moved beyond <see cref="RunDiffOptions.MinSampledShareChange"/>,
    /// the largest self-share move first, then the largest total-share move (ties: name, module); empty unless both runs hold <see cref="RunDiffOptions.MinCpuSamples"/> CPU samples.
    /// </summary>
    public IReadOnlyList<SampledChange> SampledChanges { get; init; } = [];
}
