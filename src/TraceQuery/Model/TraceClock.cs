namespace TraceQuery.Model;

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
