namespace TraceQuery.Analysis;

/// <summary>
/// A hot path: one distinct stack of function names (outermost caller first, leaf last), folded as a flame graph folds
/// frames (frames of the same name at the same place merge whatever their line), with the CPU samples that had it.
/// </summary>
/// <param name="Frames">Function names from the root to the leaf.</param>
/// <param name="WeightNs">Sum of the weights of the CPU samples with exactly this stack, in nanoseconds.</param>
/// <param name="Samples">Number of those samples.</param>
public sealed record SampledPath(IReadOnlyList<string> Frames, long WeightNs, long Samples)
{
    /// <summary>The frames joined as a flame graph's folded line (<c>main;loadConfig;JSON.parse</c>).</summary>
    public string Folded => string.Join(';', Frames);
}
