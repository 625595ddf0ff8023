namespace TraceQuery.Model;

/// <summary>Facts about a loaded trace as a whole. Time range always comes from the events, never from headers.</summary>
public sealed record TraceMetadata
{
    /// <summary>Name of the source format (<c>atf</c>, <c>generated</c>, …).</summary>
    public string SourceFormat { get; init; } = "memory";

    /// <summary>Path the trace was read from, when it came from a file or directory.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Format version the source declared (ATF manifest <c>format_version</c>), when any.</summary>
    public string? FormatVersion { get; init; }

    /// <summary>Operating system.</summary>
    public TraceOs Os { get; init; }

    /// <summary>Processor architecture.</summary>
    public TraceArch Arch { get; init; }

    /// <summary>Clock type as declared by the source.</summary>
    public TraceClock ClockType { get; init; }

    /// <summary>True when the source had a manifest (ATF: manifest.json is written only when a session stops).</summary>
    public bool ManifestPresent { get; init; } = true;

    /// <summary>
    /// Events of the source the model has no place for (counters, flow arrows, metrics…) that were skipped;
    /// <see cref="Warnings"/> says which. 0 for ATF.
    /// </summary>
    public long SkippedEvents { get; init; }

    /// <summary>Records the reader read from the source (Chrome: entries of <c>traceEvents</c>; OTLP: spans and log records), or null when it does not count them.</summary>
    public long? RecordsRead { get; init; }

    /// <summary>The producer a reader recognised (e.g. <c>clang -ftime-trace</c>, <c>PyTorch profiler</c>), or null.</summary>
    public string? Producer { get; init; }

    /// <summary>Every kind of source record that was skipped, with counts, sorted by kind (ordinal).</summary>
    public IReadOnlyList<SkippedRecordKind> SkippedRecords { get; init; } = [];

    /// <summary>Counter series the source held (Chrome <c>C</c> events), summarised, sorted by name (ordinal).</summary>
    public IReadOnlyList<CounterSeries> Counters { get; init; } = [];

    /// <summary>
    /// Stack samples the source held (V8 <c>Profile</c>/<c>ProfileChunk</c>, <c>.cpuprofile</c>, EventPipe sample events), as the
    /// reader counted them; those it could map are in <see cref="ExecutionTrace.Samples"/> (the rest are said in the warnings).
    /// <see cref="TraceBuilder.Build"/> sets it to the number of samples added when the reader left it 0.
    /// </summary>
    public long CpuSamples { get; init; }

    /// <summary>The sampled CPU profiles the source held, in the order first seen (empty when it held none or the reader does not say).</summary>
    public IReadOnlyList<SampleProfileInfo> SampleProfiles { get; init; } = [];

    /// <summary>Links (flows, span links) whose start or end span is not in the trace; they were not kept.</summary>
    public long UnresolvedLinks { get; init; }

    /// <summary>Attribute keys or values longer than the bound that were clipped (<see cref="TraceBuilder.MaxAttributeValueLength"/>).</summary>
    public long ClippedAttributeValues { get; init; }

    /// <summary>Attributes beyond the per-span bound that were not kept (<see cref="TraceBuilder.MaxAttributesPerSpan"/>).</summary>
    public long DroppedAttributes { get; init; }

    /// <summary>Warnings about the source that did not prevent loading it (missing thread directories, …), in a stable order.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
