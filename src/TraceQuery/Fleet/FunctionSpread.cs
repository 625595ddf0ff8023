namespace TraceQuery.Fleet;

/// <summary>
/// How one hot function's p95 latency varies across the traces of a set that call it often enough to judge
/// (<see cref="FleetOptions.MinCalls"/>).
/// </summary>
/// <param name="Name">Display name.</param>
/// <param name="Module">Module file name.</param>
/// <param name="Traces">Traces where it has enough calls.</param>
/// <param name="SelfTotalNs">Its self time summed over every trace of the set.</param>
/// <param name="MedianP95Ns">Median of those traces' p95 (the lower middle value for an even count).</param>
/// <param name="HighestP95Ns">The highest p95.</param>
/// <param name="HighestTrace">The trace with the highest p95 (first in set order on ties).</param>
/// <param name="LowestP95Ns">The lowest p95.</param>
/// <param name="LowestTrace">The trace with the lowest p95 (first in set order on ties).</param>
/// <param name="FunctionId">Its function id in <paramref name="HighestTrace"/>.</param>
public sealed record FunctionSpread(string Name, string Module, int Traces, long SelfTotalNs, double MedianP95Ns, double HighestP95Ns, string HighestTrace,
    double LowestP95Ns, string LowestTrace, ulong FunctionId)
{
    /// <summary>Highest p95 over the median p95 (1 when they agree); what the spreads are ranked by.</summary>
    public double Ratio => MedianP95Ns <= 0 ? (HighestP95Ns > 0 ? double.PositiveInfinity : 1) : HighestP95Ns / MedianP95Ns;
}
