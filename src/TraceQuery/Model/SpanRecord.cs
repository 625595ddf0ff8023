namespace TraceQuery.Model;

/// <summary>
/// One span from a span-based source (Chrome slices and async events, OTLP spans and logs, an in-process
/// Activity recorder), handed to <see cref="TraceBuilder.AddSpan"/>. The builder turns it into a CALL at
/// <see cref="StartNs"/>, an EXCEPTION per recorded exception (<see cref="TraceBuilder.AddSpanException"/>),
/// and a RETURN at <see cref="EndNs"/>, and pairs them by this span's
/// identity rather than by depth, so overlapping siblings of the same function pair exactly.
/// </summary>
/// <remarks>
/// The span's track (CPU stack, async, device) is its thread's: declare async and device lanes as threads of their own
/// with <see cref="TraceBuilder.AddThread(ThreadInfo)"/> and <see cref="ThreadInfo.Track"/>, so overlapping async work never
/// enters a CPU thread's stack or self time. A span belongs to the thread it started on; where it stopped does not matter. Depth is the length of the
/// parent chain (a root is 1), across threads; <see cref="CallSpans.Parents"/> links only a parent on the
/// same thread that started earlier, other spans are roots there.
/// </remarks>
public readonly record struct SpanRecord
{
    /// <summary>The source's identity of the span, unique within one builder (OTLP and Activity span ids fit). Not 0.</summary>
    public required ulong SpanId { get; init; }

    /// <summary>The parent's <see cref="SpanId"/>, or 0 for a root. A parent the builder never sees makes the span a root.</summary>
    public ulong ParentSpanId { get; init; }

    /// <summary>
    /// True when the source named a parent span that is not in the file (the span is then a root with
    /// <see cref="ParentSpanId"/> 0): the span's thread is marked incomplete (<see cref="ThreadRecovery.SpansWithMissingParent"/>).
    /// A <see cref="ParentSpanId"/> the builder never sees counts the same way.
    /// </summary>
    public bool ParentMissing { get; init; }

    /// <summary>The thread the span started on.</summary>
    public required uint ThreadId { get; init; }

    /// <summary>The span's function (name) id; register its name with <see cref="TraceBuilder.AddSymbol"/>.</summary>
    public required ulong FunctionId { get; init; }

    /// <summary>Start timestamp in nanoseconds.</summary>
    public required ulong StartNs { get; init; }

    /// <summary>End timestamp in nanoseconds, or null while still open (no RETURN). Equal to the start for an instant.</summary>
    public ulong? EndNs { get; init; }

    /// <summary>A message shown with the span's CALL event (a log body, an instant's text), or null.</summary>
    public string? Message { get; init; }

    /// <summary>
    /// Non-null when the span ended with an error status (OTLP status ERROR, Chrome <c>args.error</c>): the span's
    /// status is <see cref="SpanStatus.Error"/> and this message is kept beside it (<see cref="ExecutionTrace.TryGetErrorStatus"/>);
    /// no EXCEPTION event is made up for it (<c>kind:exception</c> means exceptions the source recorded). Empty for an
    /// error without a description.
    /// </summary>
    public string? Error { get; init; }

    /// <summary>
    /// The span's attributes (Chrome <c>args</c>, OTLP attributes) as key/value text, nested objects flattened to dotted
    /// keys (<c>data.url</c>), or null. The builder keeps at most <see cref="TraceBuilder.MaxAttributesPerSpan"/> and clips
    /// long values (<see cref="EventAttributes"/>); read them back with <see cref="ExecutionTrace.TryGetAttributes"/>.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Attributes { get; init; }

    /// <summary>What a producer convention says the span is (aggregate row, envelope, pseudo-frame); <see cref="SpanMarks.None"/> for a call.</summary>
    public SpanMarks Marks { get; init; }
}
