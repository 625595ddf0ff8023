using TraceQuery.Filtering;
using TraceQuery.Formats;
using TraceQuery.Formats.Atf;

namespace TraceQuery.Protocol;

/// <summary>
/// Limits and locations of a <see cref="TraceQueryServer"/>. Every limit gives a clear error when hit, and the
/// server keeps serving. Limits below 1 (or a non-positive timeout) are refused by the server's constructor;
/// <c>int.MaxValue</c> means "no limit" except where a property says it is clamped.
/// </summary>
public sealed record TraceQueryServerOptions
{
    /// <summary>Directory the <c>trace</c> parameter is resolved in; traces outside it are refused. Null: only in-memory traces registered with <see cref="TraceQueryServer.RegisterTrace"/>.</summary>
    public string? TraceRoot { get; init; }

    /// <summary>The trace a request means when it names none (relative to <see cref="TraceRoot"/>, or a registered name). Null: the only registered trace, or the root itself when it is a session.</summary>
    public string? DefaultTrace { get; init; }

    /// <summary>Loaded traces kept in memory, least recently used evicted first. Default 8.</summary>
    public int MaxCachedTraces { get; init; } = 8;

    /// <summary>Largest response, in bytes of UTF-8 JSON. Default 256 KiB.</summary>
    public int MaxResponseBytes { get; init; } = 256 * 1024;

    /// <summary>Time a request may take before it is cancelled with an error. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests handled at once; more are refused with an error until one finishes. Default 16.</summary>
    public int MaxConcurrentRequests { get; init; } = 16;

    /// <summary>Token budget when a request names none. Default 4,096.</summary>
    public int DefaultTokenBudget { get; init; } = 4096;

    /// <summary>Largest token budget honoured; larger requests are clamped and the answer says so. Default 20,000.</summary>
    public int MaxTokenBudget { get; init; } = 20_000;

    /// <summary>Largest request, in UTF-8 bytes; larger ones get -32600 before they are parsed. Default 1 MiB.</summary>
    public int MaxRequestBytes { get; init; } = 1 << 20;

    /// <summary>Deepest JSON nesting of a request; deeper ones get -32700. Default 64; values above 1,000 are treated as 1,000.</summary>
    public int MaxJsonDepth { get; init; } = 64;

    /// <summary>Longest string parameter, in characters (a filter, a trace name, a cursor, a reference). Default 16,384.</summary>
    public int MaxStringLength { get; init; } = 16_384;

    /// <summary>Longest <c>/regex/</c> in a filter or a <c>function</c> pattern; never more than <see cref="FilterParser.MaxRegexLength"/>. Default that limit.</summary>
    public int MaxRegexLength { get; init; } = FilterParser.MaxRegexLength;

    /// <summary>How traces under <see cref="TraceRoot"/> are read, including the caps on events, symbols and manifest strings. Default <see cref="AtfReadOptions.Default"/>.</summary>
    public AtfReadOptions ReadOptions { get; init; } = AtfReadOptions.Default;

    /// <summary>
    /// How Chrome and OTLP JSON files under <see cref="TraceRoot"/> are read, including the cap on bytes a gzip file
    /// may decompress to (a gzip bomb is refused with an error, not read into memory). Default <see cref="JsonTraceReadOptions.Default"/>.
    /// </summary>
    public JsonTraceReadOptions JsonReadOptions { get; init; } = JsonTraceReadOptions.Default;
}
