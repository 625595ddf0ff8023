namespace TraceQuery.Model;

public sealed partial class ExecutionTrace
{
    /// <summary>
    /// The trace's stack samples (sampled CPU profiles), or <see cref="SampleTable.Empty"/>. Samples live beside the
    /// events: a trace may hold spans, samples or both; a thread with samples and no events is still in <see cref="Threads"/>.
    /// </summary>
    public SampleTable Samples { get; }
}
