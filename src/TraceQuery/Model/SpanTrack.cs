namespace TraceQuery.Model;

/// <summary>
/// What kind of lane a thread of the model is. Real producers write more than CPU call stacks: async
/// operations that overlap freely and GPU streams. Analysis counts self time and call stacks on
/// <see cref="Thread"/> lanes only.
/// </summary>
public enum SpanTrack : byte
{
    /// <summary>A CPU thread's call stack: spans nest, and their self time is the thread's time (the default).</summary>
    Thread = 0,

    /// <summary>
    /// An async track (Chrome <c>b</c>/<c>e</c>/<c>n</c>, legacy <c>S</c>/<c>T</c>/<c>F</c>): spans that may overlap, never part
    /// of a CPU thread's stack or self time; nesting within one async id still makes parent and child spans.
    /// </summary>
    Async = 1,

    /// <summary>A device lane (GPU stream, accelerator queue): work that runs off the CPU.</summary>
    Device = 2,
}
