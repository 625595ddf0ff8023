namespace TraceQuery.Fleet;

/// <summary>How <see cref="FleetAnalyzer"/> and <see cref="QueryEngine.SummarizeFleet"/> answer over a set of traces. Defaults suit a folder of CI runs.</summary>
public sealed record FleetOptions
{
    /// <summary>Default options.</summary>
    public static FleetOptions Default { get; } = new();

    /// <summary>An event filter applied to every trace (the README's grammar); null or empty for whole traces.</summary>
    public string? Filter { get; init; }

    /// <summary>Traces analysed at once (each holds one trace in memory). Default: the processor count.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Calls a function needs in a trace before its p95 is compared with other traces'. Default 20.</summary>
    public int MinCalls { get; init; } = 20;

    /// <summary>CPU stack samples a trace needs before its sampled function shares are compared with other traces'. Default 20.</summary>
    public int MinCpuSamples { get; init; } = 20;

    /// <summary>How many of the fleet's hottest functions (by total self time; sampled ones by summed self share) are compared across traces. Default 20.</summary>
    public int HotFunctions { get; init; } = 20;

    /// <summary>Prepended to every trace name in an answer (<c>runs/</c>), so <c>trace:&lt;name&gt;</c> resolves where the reader resolves names. Default none.</summary>
    public string TraceNamePrefix { get; init; } = "";

    /// <summary>Count tokens for this model (e.g. <c>gpt-4</c>); null keeps the engine's.</summary>
    public string? Model { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDegreeOfParallelism, 1, nameof(MaxDegreeOfParallelism));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCalls, 1, nameof(MinCalls));
        ArgumentOutOfRangeException.ThrowIfLessThan(HotFunctions, 1, nameof(HotFunctions));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCpuSamples, 1, nameof(MinCpuSamples));
        ArgumentNullException.ThrowIfNull(TraceNamePrefix, nameof(TraceNamePrefix));
    }
}
