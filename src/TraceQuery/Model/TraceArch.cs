namespace TraceQuery.Model;

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
