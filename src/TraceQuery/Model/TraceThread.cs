namespace TraceQuery.Model;

/// <summary>One thread of a loaded trace: where its events sit in the columns, its time range and what was recovered.</summary>
/// <param name="Index">Position of the thread in <see cref="ExecutionTrace.Threads"/> (threads are ordered by id).</param>
/// <param name="Id">Thread id (ATF: the tracer's slot, the N of <c>thread_N</c>).</param>
/// <param name="Start">Index of the thread's first event in the trace's columns.</param>
/// <param name="Count">Number of events the thread holds.</param>
/// <param name="TimeStartNs">Earliest timestamp, or 0 for an empty thread.</param>
/// <param name="TimeEndNs">Latest timestamp, or 0 for an empty thread.</param>
/// <param name="DetailRecordCount">Complete detail records available for the thread.</param>
/// <param name="Recovery">What the reader had to repair or drop for this thread.</param>
/// <param name="Name">A display name, when the source provides one.</param>
public sealed record TraceThread(
    int Index,
    uint Id,
    int Start,
    int Count,
    long TimeStartNs,
    long TimeEndNs,
    int DetailRecordCount,
    ThreadRecovery Recovery,
    string? Name = null)
{
    /// <summary>One past the index of the thread's last event.</summary>
    public int End => Start + Count;

    /// <summary>True when a detail lane with at least one complete record exists.</summary>
    public bool HasDetail => DetailRecordCount > 0;
}
