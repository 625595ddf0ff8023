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
    /// <summary>
    /// The heaviest distinct stack folded into this path (an index into the stack table; <c>stack:&lt;id&gt;</c> evidence), or
    /// <see cref="Model.SampleTable.NoStack"/> when not known. Several stacks fold into one path when only lines differ.
    /// </summary>
    public int Stack { get; init; } = Model.SampleTable.NoStack;

    /// <summary>The first CPU sample (in time order) of <see cref="Stack"/> the profile covered (<c>sample:&lt;index&gt;</c> evidence), or -1.</summary>
    public int FirstSample { get; init; } = -1;

    /// <summary>The frames joined as a flame graph's folded line (<c>main;loadConfig;JSON.parse</c>).</summary>
    public string Folded => string.Join(';', Frames);
}
