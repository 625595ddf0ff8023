using TraceQuery.Analysis;

namespace TraceQuery.Fleet;

/// <summary>
/// One sampled function compared across two runs by its shares of each run's sampled CPU (self: as the leaf; total: on the
/// stack), matched by name and module; null on the side where it was never on a CPU sample's stack (share 0).
/// </summary>
/// <param name="Name">The function's name.</param>
/// <param name="Module">Its module or script (null when not given or not the same for every frame of the name).</param>
/// <param name="Baseline">Its sampled times in the baseline, or null.</param>
/// <param name="Candidate">Its sampled times in the candidate, or null.</param>
/// <param name="BaselineSelfShare">Baseline sampled self time over the baseline's sampled CPU, 0–1.</param>
/// <param name="CandidateSelfShare">Candidate sampled self time over the candidate's sampled CPU, 0–1.</param>
/// <param name="BaselineTotalShare">Baseline sampled total time over the baseline's sampled CPU, 0–1.</param>
/// <param name="CandidateTotalShare">Candidate sampled total time over the candidate's sampled CPU, 0–1.</param>
/// <param name="Stack">The heaviest distinct stack with the function as its leaf in the run <see cref="StackInCandidate"/> names (<c>stack:&lt;id&gt;</c>), or -1 (never a leaf there).</param>
public sealed record SampledChange(string Name, string? Module, SampledFunction? Baseline, SampledFunction? Candidate,
    double BaselineSelfShare, double CandidateSelfShare, double BaselineTotalShare, double CandidateTotalShare, int Stack)
{
    /// <summary>Candidate minus baseline self share (share points as a fraction: 0.42 = +42 points).</summary>
    public double SelfShareDelta => CandidateSelfShare - BaselineSelfShare;

    /// <summary>Candidate minus baseline total share.</summary>
    public double TotalShareDelta => CandidateTotalShare - BaselineTotalShare;

    /// <summary>True when the candidate spends a larger share of its sampled CPU in the function (self, or total when self did not move).</summary>
    public bool IsRegression => Math.Abs(SelfShareDelta) >= Math.Abs(TotalShareDelta) ? SelfShareDelta > 0 : TotalShareDelta > 0;

    /// <summary>
    /// Where the stack reference points: the run the function was sampled in when only one, else the candidate when its self
    /// share is at least the baseline's.
    /// </summary>
    public bool StackInCandidate => Baseline is null || (Candidate is not null && CandidateSelfShare >= BaselineSelfShare);
}
