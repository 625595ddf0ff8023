namespace TraceQuery.Analysis;

/// <summary>
/// One function's share of a trace's CPU samples (<see cref="SampledProfile"/>), by function name: sampled self time (the
/// weights of CPU samples whose leaf frame is it) and total time (CPU samples with it anywhere on the stack, once per sample).
/// </summary>
/// <param name="Name">The function's name as the producer wrote it.</param>
/// <param name="Module">The module or script, when every frame of this name had the same one; else null.</param>
/// <param name="SelfNs">Sampled self time in nanoseconds.</param>
/// <param name="TotalNs">Sampled total time in nanoseconds.</param>
/// <param name="SelfSamples">CPU samples with this function as the leaf.</param>
/// <param name="TotalSamples">CPU samples with this function anywhere on the stack.</param>
public sealed record SampledFunction(string Name, string? Module, long SelfNs, long TotalNs, long SelfSamples, long TotalSamples);
