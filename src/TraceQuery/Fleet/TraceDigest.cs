using TraceQuery.Analysis;

namespace TraceQuery.Fleet;

/// <summary>
/// What a fleet answer keeps of one trace once the trace itself is released: its size, errors, findings and
/// per-function statistics (of the events the filter selected, when there is one).
/// </summary>
/// <param name="Name">The trace's name in the set.</param>
/// <param name="Events">Events in the trace (0 when unreadable).</param>
/// <param name="EventsMatched">Events the filter selected (all without a filter).</param>
/// <param name="Threads">Threads.</param>
/// <param name="Spans">Call spans analysed.</param>
/// <param name="DurationNs">Last minus first timestamp.</param>
/// <param name="Errors">EXCEPTION events (selected ones, with a filter).</param>
/// <param name="Findings">Findings, ranked.</param>
/// <param name="Functions">Per-function statistics, by function id.</param>
/// <param name="ReadError">Why the trace could not be read, or null.</param>
public sealed record TraceDigest(
    string Name, int Events, int EventsMatched, int Threads, int Spans, long DurationNs, long Errors,
    IReadOnlyList<FleetFinding> Findings, IReadOnlyList<FunctionStats> Functions, string? ReadError)
{
    /// <summary>What its stack samples say (of the samples the filter selected, when there is one), or null when it has none.</summary>
    public SampledDigest? Sampled { get; init; }

    /// <summary>True when the trace could not be read, or a thread crashed (a critical finding).</summary>
    public bool Failed => ReadError is not null || Findings.Any(f => f.Finding.Severity == Severity.Critical);
}
