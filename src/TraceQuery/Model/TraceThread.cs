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
    /// <summary>The process id as the producer wrote it (Chrome <c>pid</c>), or null.</summary>
    public string? ProcessId { get; init; }

    /// <summary>The process's name (Chrome <c>process_name</c>, OTLP <c>service.name</c>), or null.</summary>
    public string? ProcessName { get; init; }

    /// <summary>The thread id as the producer wrote it (Chrome <c>tid</c>), or null when <see cref="Id"/> is the producer's own.</summary>
    public string? OriginalThreadId { get; init; }

    /// <summary>What kind of lane the thread is: a CPU call stack (default), an async track or a device stream.</summary>
    public SpanTrack Track { get; init; }

    /// <summary>
    /// How to name the thread to a reader: its name, then the producer's identity in parentheses
    /// (<c>CrRendererMain (pid 63312 tid 775)</c>, <c>Renderer pid 6488 tid 259</c> without a thread name), else
    /// <c>thread N</c>; an async or device lane says so (<c>(async)</c>, <c>(device)</c>).
    /// </summary>
    public string Label
    {
        get
        {
            var identity = new List<string>(3);
            if (ProcessName is not null && ProcessName != Name)
                identity.Add(ProcessName);
            if (ProcessId is not null)
                identity.Add("pid " + ProcessId);
            if (OriginalThreadId is not null)
                identity.Add("tid " + OriginalThreadId);
            string who = string.Join(" ", identity);
            string label = Name is null
                ? (who.Length > 0 ? who : "thread " + Id.ToString(System.Globalization.CultureInfo.InvariantCulture))
                : (who.Length > 0 ? Name + " (" + who + ")" : Name);
            return Track switch
            {
                SpanTrack.Async => label + " (async)",
                SpanTrack.Device => label + " (device)",
                _ => label,
            };
        }
    }

    /// <summary>One past the index of the thread's last event.</summary>
    public int End => Start + Count;

    /// <summary>True when a detail lane with at least one complete record exists.</summary>
    public bool HasDetail => DetailRecordCount > 0;
}
