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

    /// <summary>Warnings about the source that did not prevent loading it (missing thread directories, …), in a stable order.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
