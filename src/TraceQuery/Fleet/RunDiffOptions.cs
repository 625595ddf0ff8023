namespace TraceQuery.Fleet;

/// <summary>
/// When <see cref="RunComparer"/> calls a difference a change rather than noise. A time metric changes when it moves by at
/// least <see cref="MinRelativeChange"/> of the baseline <em>and</em> by at least <see cref="MinAbsoluteChangeNs"/>, and both
/// runs have at least <see cref="MinCalls"/> calls of the function; a call count or an error count changes when it moves by
/// at least <see cref="MinRelativeChange"/> and by at least <see cref="MinCountChange"/>.
/// </summary>
public sealed record RunDiffOptions
{
    /// <summary>Default thresholds.</summary>
    public static RunDiffOptions Default { get; } = new();

    /// <summary>Smallest relative change, of the baseline value. Default 0.25 (25%).</summary>
    public double MinRelativeChange { get; init; } = 0.25;

    /// <summary>Smallest change of a time metric (p50, p95, self time), in nanoseconds. Default 1,000 (1 µs).</summary>
    public long MinAbsoluteChangeNs { get; init; } = 1_000;

    /// <summary>Calls a function needs in both runs before its durations are compared. Default 20.</summary>
    public int MinCalls { get; init; } = 20;

    /// <summary>Smallest change of a call count or of an error's count. Default 10.</summary>
    public long MinCountChange { get; init; } = 10;

    /// <summary>
    /// Smallest move of a sampled function's share of its run's sampled CPU (self or total), as a fraction: 0.02 = 2
    /// percentage points; the move must also be at least <see cref="MinRelativeChange"/> of the baseline share. Default 0.02.
    /// </summary>
    public double MinSampledShareChange { get; init; } = 0.02;

    /// <summary>CPU stack samples each run needs before sampled shares are compared. Default 20.</summary>
    public int MinCpuSamples { get; init; } = 20;

    /// <summary>Count tokens for this model (e.g. <c>gpt-4</c>); null keeps the engine's.</summary>
    public string? Model { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first threshold out of range.</summary>
    public void Validate()
    {
        if (!(MinRelativeChange >= 0) || double.IsInfinity(MinRelativeChange))
            throw new ArgumentOutOfRangeException(nameof(MinRelativeChange), MinRelativeChange, "MinRelativeChange must be a finite number, 0 or more (0.25 = 25%).");
        ArgumentOutOfRangeException.ThrowIfNegative(MinAbsoluteChangeNs, nameof(MinAbsoluteChangeNs));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCalls, 1, nameof(MinCalls));
        ArgumentOutOfRangeException.ThrowIfNegative(MinCountChange, nameof(MinCountChange));
        if (!(MinSampledShareChange >= 0) || MinSampledShareChange > 1)
            throw new ArgumentOutOfRangeException(nameof(MinSampledShareChange), MinSampledShareChange, "MinSampledShareChange must be a share from 0 to 1 (0.02 = 2 percentage points).");
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCpuSamples, 1, nameof(MinCpuSamples));
    }
}
