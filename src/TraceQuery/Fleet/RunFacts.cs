namespace TraceQuery.Fleet;

/// <summary>The size of one run, for the headline of a diff.</summary>
/// <param name="Events">Events in the trace.</param>
/// <param name="Spans">Call spans.</param>
/// <param name="Threads">Threads.</param>
/// <param name="DurationNs">Last minus first timestamp.</param>
/// <param name="Errors">EXCEPTION events.</param>
public sealed record RunFacts(int Events, int Spans, int Threads, long DurationNs, long Errors)
{
    /// <summary>CPU stack samples (0 when the run has none).</summary>
    public long CpuSamples { get; init; }

    /// <summary>Sampled CPU: the weights of the CPU samples, in nanoseconds.</summary>
    public long SampledCpuNs { get; init; }
}
