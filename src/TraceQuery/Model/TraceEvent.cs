using System.Runtime.InteropServices;

namespace TraceQuery.Model;

/// <summary>
/// One ATF v2 index event, laid out exactly as on disk (32 bytes, little-endian), so an index file's
/// event section can be viewed as a <see cref="ReadOnlySpan{T}"/> of it without parsing.
/// </summary>
/// <param name="TimestampNs">Continuous-clock timestamp in nanoseconds, comparable across the session's threads.</param>
/// <param name="FunctionId"><c>(module_id &lt;&lt; 32) | symbol_index</c>.</param>
/// <param name="ThreadId">The tracer's thread slot (the N of <c>thread_N</c>), not the OS thread id.</param>
/// <param name="Kind">CALL, RETURN or EXCEPTION.</param>
/// <param name="CallDepth">Stack depth, 1 for the outermost frame; a RETURN carries its CALL's depth.</param>
/// <param name="DetailSeq">Index of this event's record in detail.atf, or <see cref="NoDetail"/>.</param>
[StructLayout(LayoutKind.Sequential, Pack = 1, Size = 32)]
public readonly record struct TraceEvent(
    ulong TimestampNs,
    ulong FunctionId,
    uint ThreadId,
    EventKind Kind,
    uint CallDepth,
    uint DetailSeq = TraceEvent.NoDetail)
{
    /// <summary>Size of one event in bytes, on disk and in memory.</summary>
    public const int Size = 32;

    /// <summary>The <see cref="DetailSeq"/> value meaning "this event has no detail record".</summary>
    public const uint NoDetail = uint.MaxValue;

    /// <summary>The module half of <see cref="FunctionId"/>.</summary>
    public uint ModuleId => (uint)(FunctionId >> 32);

    /// <summary>The symbol half of <see cref="FunctionId"/>.</summary>
    public uint SymbolIndex => (uint)FunctionId;

    /// <summary>True when the event links to a detail record.</summary>
    public bool HasDetail => DetailSeq != NoDetail;
}
