namespace TraceQuery.Formats;

/// <summary>Limits for the JSON trace readers (Chrome Trace Event, OTLP/JSON); the defaults suit real files.</summary>
public sealed record JsonTraceReadOptions
{
    /// <summary>The defaults.</summary>
    public static JsonTraceReadOptions Default { get; } = new();

    /// <summary>
    /// Largest single value read at once (one event, one span, or a property skipped whole), in bytes; memory
    /// for parsing stays below about twice this. Default 16 MiB: a larger one is reported as damage.
    /// </summary>
    public int MaxValueBytes { get; init; } = 16 << 20;

    /// <summary>Deepest JSON nesting accepted (default 64); deeper input is reported with its byte offset.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// Most bytes a gzip-compressed file may decompress to (default 4 GiB). More is refused with a
    /// <see cref="TraceFormatException"/> as a possible gzip bomb, before it can fill memory; raise it for a
    /// larger trace. Plain files are not limited by it.
    /// </summary>
    public long MaxDecompressedBytes { get; init; } = 4L << 30;
}
