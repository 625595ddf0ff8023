namespace TraceQuery.Model;

/// <summary>One thread handed to <see cref="TraceColumnBuilder"/>: its events and what the source knows about them.</summary>
internal sealed class ThreadInput
{
    public required uint ThreadId { get; init; }
    public required ThreadEventRows Events { get; init; }

    /// <summary>Complete detail records available; links at or past this are dangling.</summary>
    public uint DetailRecordCount { get; init; }

    /// <summary>True when the detail lane is known complete, so a dangling link is corruption, not a crash.</summary>
    public bool DetailComplete { get; init; }

    /// <summary>CRC-32 the event bytes must hash to, verified during the column pass; 0 = do not verify.</summary>
    public uint ExpectedChecksum { get; init; }

    /// <summary>What the source already recovered; the column pass adds what it repairs.</summary>
    public ThreadRecovery Recovery { get; init; } = ThreadRecovery.Clean;

    /// <summary>The thread's name, when the source has one.</summary>
    public string? Name { get; init; }

    /// <summary>The producer's identity of the thread and its lane kind, when declared (<see cref="TraceBuilder.AddThread(ThreadInfo)"/>).</summary>
    public ThreadInfo? Info { get; init; }
}
