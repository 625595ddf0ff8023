using System.Buffers.Binary;

namespace TraceQuery.Model;

/// <summary>
/// One rich record from a thread's detail lane (ATF detail.atf): the 24-byte record header's fields plus
/// a copy of the payload.
/// </summary>
/// <param name="EventType">3 = function call (also used for exceptions by the original tracer), 4 = function return.</param>
/// <param name="Flags">Record flags (0 in every file the original tracer writes).</param>
/// <param name="IndexSeq">Sequence number of the matching event in the thread's index.</param>
/// <param name="ThreadId">Thread slot.</param>
/// <param name="TimestampNs">Same clock as the index events.</param>
/// <param name="Payload">The payload bytes after the record header.</param>
public sealed record DetailRecord(ushort EventType, ushort Flags, uint IndexSeq, uint ThreadId, ulong TimestampNs, ReadOnlyMemory<byte> Payload)
{
    /// <summary>Size of the record header that precedes every payload.</summary>
    public const int HeaderSize = 24;

    /// <summary>Record event type of a function call record.</summary>
    public const ushort FunctionCallType = 3;

    /// <summary>Record event type of a function return record.</summary>
    public const ushort FunctionReturnType = 4;

    /// <summary>Bytes this record occupies on disk, header included.</summary>
    public int TotalLength => HeaderSize + Payload.Length;

    /// <summary>
    /// Decodes the payload as the original tracer's function payload (registers and a stack snapshot),
    /// or returns null when the payload is too short to hold one.
    /// </summary>
    public FunctionDetail? TryGetFunctionDetail() => FunctionDetail.TryParse(Payload.Span);
}
