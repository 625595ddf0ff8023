namespace TraceQuery.Model;

/// <summary>
/// A thread (lane) declared to <see cref="TraceBuilder.AddThread(ThreadInfo)"/>: the model's id, and the identity the
/// producer wrote (process and thread ids as written, their names) and what kind of lane it is.
/// </summary>
public sealed record ThreadInfo
{
    /// <summary>The model's thread id, unique in the trace (a reader maps producer ids onto it).</summary>
    public required uint ThreadId { get; init; }

    /// <summary>The thread's name (Chrome <c>thread_name</c>), or null.</summary>
    public string? Name { get; init; }

    /// <summary>The process id as the producer wrote it (Chrome <c>pid</c>, a number or a string), or null.</summary>
    public string? ProcessId { get; init; }

    /// <summary>The process's name (Chrome <c>process_name</c>, OTLP <c>service.name</c>), or null.</summary>
    public string? ProcessName { get; init; }

    /// <summary>The thread id as the producer wrote it (Chrome <c>tid</c>), or null.</summary>
    public string? OriginalThreadId { get; init; }

    /// <summary>What kind of lane this is; <see cref="SpanTrack.Thread"/> by default.</summary>
    public SpanTrack Track { get; init; }
}
