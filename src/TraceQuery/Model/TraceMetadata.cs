namespace TraceQuery.Model;

/// <summary>Operating system a trace was recorded on (ATF header byte 7).</summary>
public enum TraceOs : byte
{
    /// <summary>Not recorded or not known.</summary>
    Unknown = 0,
    /// <summary>iOS.</summary>
    IOS = 1,
    /// <summary>Android.</summary>
    Android = 2,
    /// <summary>macOS.</summary>
    MacOS = 3,
    /// <summary>Linux.</summary>
    Linux = 4,
    /// <summary>Windows.</summary>
    Windows = 5,
}

/// <summary>Processor architecture a trace was recorded on (ATF header byte 6).</summary>
public enum TraceArch : byte
{
    /// <summary>Not recorded or not known.</summary>
    Unknown = 0,
    /// <summary>x86-64.</summary>
    X86_64 = 1,
    /// <summary>ARM64.</summary>
    Arm64 = 2,
}

/// <summary>Clock the timestamps came from, as the source states it (the ATF tracer always writes 1).</summary>
public enum TraceClock : byte
{
    /// <summary>Not recorded or not known.</summary>
    Unknown = 0,
    /// <summary>mach_continuous_time.</summary>
    MachContinuous = 1,
    /// <summary>QueryPerformanceCounter.</summary>
    Qpc = 2,
    /// <summary>CLOCK_BOOTTIME.</summary>
    BootTime = 3,
}

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
