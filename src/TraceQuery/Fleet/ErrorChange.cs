using TraceQuery.Analysis;

namespace TraceQuery.Fleet;

/// <summary>
/// Exceptions of one kind — same function, module and message — counted in both runs: new (none in the baseline), gone
/// (none in the candidate), or more or fewer beyond the count thresholds of <see cref="RunDiffOptions"/>.
/// </summary>
/// <param name="Function">The function the EXCEPTION events name.</param>
/// <param name="Module">Its module.</param>
/// <param name="Message">The exception text ("" when the source records none, as ATF).</param>
/// <param name="BaselineCount">EXCEPTION events in the baseline.</param>
/// <param name="CandidateCount">EXCEPTION events in the candidate.</param>
/// <param name="Evidence">The earliest such event: in the candidate, or in the baseline when the error is gone.</param>
public sealed record ErrorChange(string Function, string Module, string Message, long BaselineCount, long CandidateCount, EvidenceRef Evidence)
{
    /// <summary>True when the baseline has none.</summary>
    public bool IsNew => BaselineCount == 0;

    /// <summary>True when the candidate has none.</summary>
    public bool IsGone => CandidateCount == 0;
}
