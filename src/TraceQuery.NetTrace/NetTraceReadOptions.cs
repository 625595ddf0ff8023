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
}
