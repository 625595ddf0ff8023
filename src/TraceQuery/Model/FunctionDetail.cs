using System.Buffers.Binary;

namespace TraceQuery.Model;

/// <summary>The original tracer's 516-byte function payload: arguments or return values, frame registers, stack bytes.</summary>
/// <param name="TimestampNs">Timestamp (equals the record's and the event's).</param>
/// <param name="FunctionId">Function id.</param>
/// <param name="OsThreadId">The operating system's thread id (the index holds only the slot).</param>
/// <param name="Kind">Event kind as the payload records it.</param>
/// <param name="CallDepth">Call depth.</param>
/// <param name="Registers">x0–x7: arguments on call, return values on return.</param>
/// <param name="Lr">Link register.</param>
/// <param name="Fp">Frame pointer.</param>
/// <param name="Sp">Stack pointer.</param>
/// <param name="Stack">The valid bytes of the stack snapshot copied from <paramref name="Sp"/>.</param>
public sealed record FunctionDetail(
    ulong TimestampNs,
    ulong FunctionId,
    uint OsThreadId,
    uint Kind,
    uint CallDepth,
    IReadOnlyList<ulong> Registers,
    ulong Lr,
    ulong Fp,
    ulong Sp,
    ReadOnlyMemory<byte> Stack)
{
    /// <summary>Bytes of the payload the original tracer writes.</summary>
    public const int PayloadSize = 516;

    private const int StackOffset = 120;
    private const int StackCapacity = 128;
    private const int StackSizeOffset = 248;
    private const int MinimumLength = StackSizeOffset + 4;

    /// <summary>Decodes a function payload; null when <paramref name="payload"/> is shorter than the fixed fields.</summary>
    public static FunctionDetail? TryParse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < MinimumLength)
            return null;
        var registers = new ulong[8];
        for (int i = 0; i < registers.Length; i++)
            registers[i] = BinaryPrimitives.ReadUInt64LittleEndian(payload[(32 + (i * 8))..]);
        uint stackSize = Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(payload[StackSizeOffset..]), StackCapacity);
        return new FunctionDetail(
            BinaryPrimitives.ReadUInt64LittleEndian(payload),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(payload[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(payload[20..]),
            BinaryPrimitives.ReadUInt32LittleEndian(payload[24..]),
            registers,
            BinaryPrimitives.ReadUInt64LittleEndian(payload[96..]),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[104..]),
            BinaryPrimitives.ReadUInt64LittleEndian(payload[112..]),
            payload.Slice(StackOffset, (int)stackSize).ToArray());
    }

    /// <summary>Encodes this detail as the original tracer's 516-byte payload.</summary>
    public byte[] ToPayload()
    {
        var payload = new byte[PayloadSize];
        var span = payload.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(span, TimestampNs);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], FunctionId);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], OsThreadId);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], Kind);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], CallDepth);
        for (int i = 0; i < Math.Min(8, Registers.Count); i++)
            BinaryPrimitives.WriteUInt64LittleEndian(span[(32 + (i * 8))..], Registers[i]);
        BinaryPrimitives.WriteUInt64LittleEndian(span[96..], Lr);
        BinaryPrimitives.WriteUInt64LittleEndian(span[104..], Fp);
        BinaryPrimitives.WriteUInt64LittleEndian(span[112..], Sp);
        var stack = Stack.Span[..Math.Min(Stack.Length, StackCapacity)];
        stack.CopyTo(span[StackOffset..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[StackSizeOffset..], (uint)stack.Length);
        return payload;
    }
}
