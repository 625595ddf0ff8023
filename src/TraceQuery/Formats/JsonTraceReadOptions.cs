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
}
