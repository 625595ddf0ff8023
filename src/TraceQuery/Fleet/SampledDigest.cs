using TraceQuery.Analysis;

namespace TraceQuery.Fleet;

/// <summary>
/// What a fleet answer keeps of one trace's stack samples once the trace is released: its sampled CPU and every sampled
/// function (<see cref="SampledProfile"/>), with the heaviest distinct stack each one is the leaf of, for evidence.
/// </summary>
/// <param name="CpuNs">Sampled CPU (weights of the CPU samples), in nanoseconds.</param>
/// <param name="CpuSamples">CPU samples.</param>
/// <param name="WaitingSamples">Waiting samples (not CPU).</param>
/// <param name="Functions">Every function on a CPU sample's stack, by sampled self time (as <see cref="SampledProfile.Functions"/>).</param>
/// <param name="LeafStacks">Per function name, the heaviest distinct stack whose leaf it is (<c>stack:&lt;id&gt;</c> in that trace).</param>
public sealed record SampledDigest(long CpuNs, long CpuSamples, long WaitingSamples, IReadOnlyList<SampledFunction> Functions, IReadOnlyDictionary<string, int> LeafStacks)
{
    /// <summary>The digest of <paramref name="profile"/>. O(functions + paths).</summary>
    public static SampledDigest Of(SampledProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var leaves = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var path in profile.Paths)
        {
            // Paths come heaviest first: the first path ending in a function holds its heaviest stack.
            if (path.Stack >= 0)
                leaves.TryAdd(path.Frames[^1], path.Stack);
        }
        return new SampledDigest(profile.CpuNs, profile.CpuSamples, profile.WaitingSamples, profile.Functions, leaves);
    }

    /// <summary>A function's sampled self time over the sampled CPU (0 when it has none, or there is no CPU).</summary>
    public double SelfShare(SampledFunction function) => CpuNs <= 0 ? 0 : (double)function.SelfNs / CpuNs;

    /// <summary>A function's sampled total time over the sampled CPU (0 when there is no CPU).</summary>
    public double TotalShare(SampledFunction function) => CpuNs <= 0 ? 0 : (double)function.TotalNs / CpuNs;
}
