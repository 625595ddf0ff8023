namespace TraceQuery.NetTrace;

/// <summary>Options for <see cref="NetTraceFile.Open"/>.</summary>
public sealed record NetTraceReadOptions
{
    /// <summary>The defaults.</summary>
    public static NetTraceReadOptions Default { get; } = new();

    /// <summary>
    /// Folder for TraceEvent's temporary <c>.etlx</c> conversion (deleted after reading); default the system's
    /// temporary folder.
    /// </summary>
    public string? TemporaryDirectory { get; init; }

    /// <summary>
    /// Gaps between two samples of one thread longer than this many sampling intervals end the thread's open frames
    /// (the thread was not sampled: it did not exist or was suspended); default 4.
    /// </summary>
    public int MaxGapIntervals { get; init; } = 4;
}
