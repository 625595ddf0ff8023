namespace TraceQuery.Formats.Atf;

/// <summary>The 64-byte header of an ATF v2 index.atf, as stored (placeholder values while a thread is still recording).</summary>
/// <param name="Arch">1 x86_64, 2 arm64.</param>
/// <param name="Os">1 iOS, 2 Android, 3 macOS, 4 Linux, 5 Windows.</param>
/// <param name="Flags">Bit 0: the thread has a detail.atf (0 until the thread is finalized).</param>
/// <param name="ThreadId">Thread slot.</param>
/// <param name="ClockType">1 mach_continuous, 2 QPC, 3 boottime.</param>
/// <param name="EventCount">Events in the file (0 or stale until finalized; the footer is authoritative).</param>
/// <param name="EventsOffset">Byte offset of the first event.</param>
/// <param name="FooterOffset">Byte offset of the footer (equals <paramref name="EventsOffset"/> in a placeholder).</param>
/// <param name="TimeStartNs">First event's timestamp (0 until finalized).</param>
/// <param name="TimeEndNs">Last event's timestamp (0 until finalized).</param>
public readonly record struct AtfIndexHeader(
    byte Arch, byte Os, uint Flags, uint ThreadId, byte ClockType, uint EventCount,
    ulong EventsOffset, ulong FooterOffset, ulong TimeStartNs, ulong TimeEndNs);
