namespace TraceQuery;

/// <summary>
/// A scoped search (<see cref="QueryEngine.SearchScoped(Model.ExecutionTrace, ScopedSearchOptions, int, string?, CancellationToken)"/>): what happened around an anchor, on every thread, in time order.
/// </summary>
public sealed record ScopedSearchOptions
{
    /// <summary>
    /// Where to look: <c>span:&lt;id&gt;</c>, <c>event:&lt;thread&gt;:&lt;seq&gt;</c>, <c>sample:&lt;index&gt;</c> (a stack sample's
    /// time), or a time since the trace's first event (<c>1.5ms</c>, <c>+1.5ms</c>, <c>time:1.5ms</c>; units ns, us, ms, s; a
    /// bare integer is nanoseconds). Required. When the trace holds stack samples, the answer also says what the samples in
    /// the window say (sampled CPU, heaviest functions and stacks, each thread's main leaf); a trace of samples only is
    /// searched that way around a time or a sample.
    /// </summary>
    public required string Anchor { get; init; }

    /// <summary>
    /// How far before the anchor to look, in nanoseconds. Null: the longer of the anchor span's duration and the time
    /// back to the 32nd earlier event of the anchor's thread (in a trace without events, the 32nd earlier sample of the
    /// nearest sample's thread; the look-ahead likewise to its 16th later sample).
    /// </summary>
    public long? LookBackNs { get; init; }

    /// <summary>
    /// How far after the anchor (after its span's end, for a span) to look, in nanoseconds. Null: the longer of the
    /// anchor span's duration and the time to the 16th later event of the anchor's thread (a quarter of the look-back
    /// when the thread has no later event, e.g. at a crash).
    /// </summary>
    public long? LookAheadNs { get; init; }

    /// <summary>Only events this filter selects (the anchor is always shown); null for all.</summary>
    public string? Filter { get; init; }

    /// <summary>Show detail records (arguments, return values, frame registers) of the events that have one. Default true.</summary>
    public bool IncludeDetail { get; init; } = true;

    /// <summary>Count tokens for this model instead of the engine's; null keeps the engine's.</summary>
    public string? Model { get; init; }
}
