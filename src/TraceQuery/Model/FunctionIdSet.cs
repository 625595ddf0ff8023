namespace TraceQuery.Model;

/// <summary>
/// A compact, portable form of a set of one module's functions (their symbol indices, the low 32 bits of the function
/// ids), so a tracer or host can trace exactly those functions next time. Two encodings, chosen by density: a bitset
/// over the set's index range (<see cref="FunctionIdSetEncoding.Bitset"/>) or a sorted delta list
/// (<see cref="FunctionIdSetEncoding.DeltaList"/>); <see cref="Encode"/> writes both and keeps the smaller (the delta
/// list on a tie). Varints are unsigned LEB128: 7 bits per byte, low bits first, high bit set on every byte but the last.
/// </summary>
/// <example>
/// Indices {3, 4, 5, 7}: bitset <c>01 03 05 17</c> (first 3, 5 bits, 0b10111) is 4 bytes, delta list
/// <c>02 04 03 00 00 01</c> is 6, so the bitset is kept: base64 <c>AQMFFw==</c>.
/// </example>
public static class FunctionIdSet
{
    /// <summary>Encodes one module's symbol indices (any order; duplicates ignored) with the smaller encoding.</summary>
    public static EncodedFunctionIdSet Encode(uint moduleId, IEnumerable<uint> symbolIndices)
    {
        ArgumentNullException.ThrowIfNull(symbolIndices);
        uint[] sorted = [.. symbolIndices.Distinct().Order()];
        byte[] bitset = EncodeBitset(sorted), delta = EncodeDeltaList(sorted);
        bool useBitset = bitset.Length < delta.Length;
        return new EncodedFunctionIdSet(moduleId, useBitset ? FunctionIdSetEncoding.Bitset : FunctionIdSetEncoding.DeltaList,
            sorted.Length, Convert.ToBase64String(useBitset ? bitset : delta));
    }

    /// <summary>The bitset encoding of strictly ascending <paramref name="sorted"/> indices. O(range / 8) bytes.</summary>
    public static byte[] EncodeBitset(ReadOnlySpan<uint> sorted)
    {
        CheckAscending(sorted);
        var output = new List<byte> { (byte)FunctionIdSetEncoding.Bitset };
        if (sorted.Length == 0)
        {
            WriteVarint(output, 0);
            WriteVarint(output, 0);
            return [.. output];
        }
        uint first = sorted[0];
        ulong bits = (ulong)sorted[^1] - first + 1;
        WriteVarint(output, first);
        WriteVarint(output, bits);
        var bytes = new byte[(bits + 7) / 8];
        foreach (uint index in sorted)
        {
            ulong bit = index - first;
            bytes[bit >> 3] |= (byte)(1 << (int)(bit & 7));
        }
        output.AddRange(bytes);
        return [.. output];
    }

    /// <summary>The delta-list encoding of strictly ascending <paramref name="sorted"/> indices. O(count) bytes.</summary>
    public static byte[] EncodeDeltaList(ReadOnlySpan<uint> sorted)
    {
        CheckAscending(sorted);
        var output = new List<byte> { (byte)FunctionIdSetEncoding.DeltaList };
        WriteVarint(output, (ulong)sorted.Length);
        for (int i = 0; i < sorted.Length; i++)
            WriteVarint(output, i == 0 ? sorted[0] : (ulong)(sorted[i] - sorted[i - 1] - 1));
        return [.. output];
    }

    /// <summary>Decodes either encoding (as bytes) into ascending symbol indices.</summary>
    /// <exception cref="FormatException">The bytes are not a set this class wrote; the message says where.</exception>
    public static uint[] Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length == 0)
            throw new FormatException("An encoded function-id set is at least 1 byte (the encoding tag); it is empty.");
        int position = 1;
        var result = new List<uint>();
        switch ((FunctionIdSetEncoding)encoded[0])
        {
            case FunctionIdSetEncoding.Bitset:
                {
                    ulong first = ReadVarint(encoded, ref position), bits = ReadVarint(encoded, ref position);
                    if (bits > 0 && first + bits - 1 > uint.MaxValue)
                        throw new FormatException($"The bitset covers indices {first} to {first + bits - 1}, past the 32-bit symbol index range.");
                    ulong bytes = (bits + 7) / 8;
                    if ((ulong)(encoded.Length - position) != bytes)
                        throw new FormatException($"The bitset of {bits} bits needs {bytes} bytes after byte {position}, but {encoded.Length - position} follow.");
                    for (ulong bit = 0; bit < bits; bit++)
                    {
                        if ((encoded[position + (int)(bit >> 3)] & (1 << (int)(bit & 7))) != 0)
                            result.Add((uint)(first + bit));
                    }
                    return [.. result];
                }
            case FunctionIdSetEncoding.DeltaList:
                {
                    ulong count = ReadVarint(encoded, ref position);
                    if (count > (ulong)encoded.Length)
                        throw new FormatException($"The delta list claims {count} indices in {encoded.Length} bytes.");
                    ulong previous = 0;
                    for (ulong i = 0; i < count; i++)
                    {
                        ulong value = ReadVarint(encoded, ref position);
                        ulong index = i == 0 ? value : previous + value + 1;
                        if (index > uint.MaxValue)
                            throw new FormatException($"Index {i} of the delta list is {index}, past the 32-bit symbol index range.");
                        result.Add((uint)index);
                        previous = index;
                    }
                    if (position != encoded.Length)
                        throw new FormatException($"{encoded.Length - position} bytes follow the delta list's last index (byte {position}).");
                    return [.. result];
                }
            default:
                throw new FormatException($"Unknown function-id set encoding 0x{encoded[0]:x2} in byte 0; expected 0x01 (bitset) or 0x02 (delta list).");
        }
    }

    /// <summary>Decodes base64 text (either encoding) into the module's function ids, ascending.</summary>
    /// <exception cref="FormatException">The text is not base64 or not a set this class wrote.</exception>
    public static ulong[] DecodeFunctionIds(uint moduleId, string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        uint[] indices = Decode(Convert.FromBase64String(base64));
        var ids = new ulong[indices.Length];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = SymbolTable.MakeFunctionId(moduleId, indices[i]);
        return ids;
    }

    private static void CheckAscending(ReadOnlySpan<uint> sorted)
    {
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i] <= sorted[i - 1])
                throw new ArgumentException($"Indices must be strictly ascending; index {i} ({sorted[i]}) follows {sorted[i - 1]}.", nameof(sorted));
        }
    }

    private static void WriteVarint(List<byte> output, ulong value)
    {
        while (value >= 0x80)
        {
            output.Add((byte)(value | 0x80));
            value >>= 7;
        }
        output.Add((byte)value);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> input, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= input.Length)
                throw new FormatException($"A varint is cut off at byte {position}.");
            byte b = input[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
        throw new FormatException($"A varint is longer than 10 bytes at byte {position}.");
    }
}
