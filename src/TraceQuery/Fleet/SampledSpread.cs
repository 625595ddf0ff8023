namespace TraceQuery.Fleet;

/// <summary>
/// How one hot sampled function's share of each trace's sampled CPU (its sampled self time over the trace's sampled CPU)
/// varies across the traces of a set that hold at least <see cref="FleetOptions.MinCpuSamples"/> CPU samples; a trace
/// where the function was never sampled counts with a share of 0.
/// </summary>
/// <param name="Name">The function's name as the producer wrote it.</param>
/// <param name="Module">Its module or script, when every trace agrees; else null.</param>
/// <param name="Traces">Traces judged (enough CPU samples).</param>
/// <param name="SampledIn">Judged traces where it was on a CPU sample's stack.</param>
/// <param name="SelfNs">Its sampled self time summed over the judged traces.</param>
/// <param name="MedianSelfShare">Median of the judged traces' self shares (the lower middle value for an even count), 0–1.</param>
/// <param name="HighestSelfShare">The highest self share.</param>
/// <param name="HighestTrace">The trace with the highest self share (first in set order on ties).</param>
/// <param name="LowestSelfShare">The lowest self share.</param>
/// <param name="LowestTrace">The trace with the lowest self share (first in set order on ties).</param>
/// <param name="HighestStack">The heaviest distinct stack with the function as its leaf in <paramref name="HighestTrace"/> (<c>stack:&lt;id&gt;</c>), or -1.</param>
public sealed record SampledSpread(string Name, string? Module, int Traces, int SampledIn, long SelfNs, double MedianSelfShare, double HighestSelfShare, string HighestTrace,
    double LowestSelfShare, string LowestTrace, int HighestStack)
{
    /// <summary>How far the highest share stands above the median, in share (0–1); what the spreads are ranked by.</summary>
    public double Excess => HighestSelfShare - MedianSelfShare;
}
