namespace TraceQuery.Model;

/// <summary>
/// One sampled CPU profile as the source wrote it (a V8 <c>Profile</c> with its <c>ProfileChunk</c>s, a whole
/// <c>cpuProfile</c> in one record, a <c>.cpuprofile</c> file): its id, where it ran and how many of its samples the trace kept.
/// </summary>
/// <param name="Id">
/// The profile's id as written (<c>0x3</c>); a profile without one is named after its record and the record's position
/// in the file, from 0 (<c>CpuProfile@3550</c>); empty for a <c>.cpuprofile</c> file.
/// </param>
/// <param name="ProcessId">The process id as the producer wrote it, or null.</param>
/// <param name="ThreadId">The thread (the model's id, as in <see cref="ExecutionTrace.Threads"/>) its samples are on.</param>
/// <param name="Samples">Samples the profile holds.</param>
/// <param name="SamplesKept">Samples kept in <see cref="ExecutionTrace.Samples"/>; the rest named a node the profile does not hold.</param>
public sealed record SampleProfileInfo(string Id, string? ProcessId, uint ThreadId, long Samples, long SamplesKept)
{
    /// <summary>Samples that named a node the profile does not hold (not kept).</summary>
    public long SamplesWithUnknownNode => Samples - SamplesKept;
}
