namespace TraceQuery.Model;

/// <summary>
/// What a producer convention says a span is, beyond a plain call (see the Chrome reader's producer table).
/// Readers set the marks; analysis decides how to treat them (e.g. leave aggregates out of self-time rankings).
/// </summary>
[Flags]
public enum SpanMarks : byte
{
    /// <summary>A plain call.</summary>
    None = 0,

    /// <summary>Not a call but a sum the producer wrote (clang <c>-ftime-trace</c> <c>Total …</c> rows).</summary>
    Aggregate = 1,

    /// <summary>
    /// A wrapper around the real work (a profiler's root span such as <c>PyTorch Profiler (0)</c>, a task envelope
    /// such as DevTools <c>RunTask</c>): its self time is scheduling or idle time, not the work.
    /// </summary>
    Envelope = 2,

    /// <summary>A frame that stands for time, not code (dotnet-trace <c>CPU_TIME</c>, <c>UNMANAGED_CODE_TIME</c>): its time belongs to the caller.</summary>
    PseudoFrame = 4,

    /// <summary>An instant (zero-length marker) the producer wrote as such, not a call that took no time.</summary>
    Instant = 8,
}
