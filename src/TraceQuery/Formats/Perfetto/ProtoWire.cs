namespace TraceQuery.Formats.Perfetto;

/// <summary>
/// A forward-only reader of protobuf wire format over one message's bytes: the field key, then its value by wire type.
/// Every read is bounds-checked; a malformed message raises <see cref="ProtoWireException"/> with the offset.
/// </summary>
internal ref struct ProtoWire
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly long _base;
    private int _pos;

    public ProtoWire(ReadOnlySpan<byte> data, long baseOffset)
    {
        _data = data;
        _base = baseOffset;
        _pos = 0;
    }

    /// <summary>The field number of the current field.</summary>
    public int Field { get; private set; }

    /// <summary>The wire type of the current field (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).</summary>
    public int WireType { get; private set; }

    /// <summary>Where the current field's key starts, counted from the start of this message.</summary>
    public int FieldStart { get; private set; }

    /// <summary>Where the reader is, counted from the start of the file.</summary>
    public readonly long Offset => _base + _pos;

    /// <summary>Moves to the next field; false at the end of the message.</summary>
    public bool Next()
    {
        if (_pos >= _data.Length)
            return false;
        FieldStart = _pos;
        ulong key = ReadVarint();
        Field = (int)(key >> 3);
        WireType = (int)(key & 7);
        if (Field == 0 || key >> 3 > int.MaxValue)
            throw new ProtoWireException(Offset, "a field number of 0 or out of range");
        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (_pos >= _data.Length)
                throw new ProtoWireException(Offset, "a varint cut short by the end of its message");
            byte b = _data[_pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw new ProtoWireException(Offset, "a varint longer than 10 bytes");
    }

    public ulong ReadFixed64()
    {
        if (_data.Length - _pos < 8)
            throw new ProtoWireException(Offset, "a fixed64 cut short by the end of its message");
        ulong v = BitConverter.ToUInt64(_data.Slice(_pos, 8));
        _pos += 8;
        return BitConverter.IsLittleEndian ? v : System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v);
    }

    public uint ReadFixed32()
    {
        if (_data.Length - _pos < 4)
            throw new ProtoWireException(Offset, "a fixed32 cut short by the end of its message");
        uint v = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(_pos, 4));
        _pos += 4;
        return v;
    }

    /// <summary>The bytes of a length-delimited field; <paramref name="offset"/> is where they start in the file.</summary>
    public ReadOnlySpan<byte> ReadBytes(out long offset)
    {
        ulong length = ReadVarint();
        offset = Offset;
        if (length > (ulong)(_data.Length - _pos))
            throw new ProtoWireException(Offset, $"a length-delimited field of {length} bytes that runs past the end of its message ({_data.Length - _pos} bytes left)");
        var bytes = _data.Slice(_pos, (int)length);
        _pos += (int)length;
        return bytes;
    }

    public ReadOnlySpan<byte> ReadBytes() => ReadBytes(out _);

    /// <summary>An integer field (varint, or fixed when so written).</summary>
    public ulong ReadInteger() => WireType switch
    {
        0 => ReadVarint(),
        1 => ReadFixed64(),
        5 => ReadFixed32(),
        _ => SkipAndZero(),
    };

    public double ReadDouble() => WireType switch
    {
        1 => BitConverter.UInt64BitsToDouble(ReadFixed64()),
        5 => BitConverter.UInt32BitsToSingle(ReadFixed32()),
        0 => ReadVarint(),
        _ => SkipAndZero(),
    };

    private ulong SkipAndZero()
    {
        Skip();
        return 0;
    }

    /// <summary>Skips the current field's value.</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                ReadFixed64();
                break;
            case 2:
                ReadBytes();
                break;
            case 5:
                ReadFixed32();
                break;
            default:
                throw new ProtoWireException(Offset, $"wire type {WireType} (groups or an unknown type), which Perfetto traces do not use");
        }
    }

    /// <summary>Reads a repeated integer field, packed or not, adding each value to <paramref name="into"/>.</summary>
    public void ReadRepeated(List<ulong> into, bool fixed64)
    {
        if (WireType != 2)
        {
            into.Add(ReadInteger());
            return;
        }
        var inner = new ProtoWire(ReadBytes(out long at), at);
        while (inner._pos < inner._data.Length)
            into.Add(fixed64 ? inner.ReadFixed64() : inner.ReadVarint());
    }
}

/// <summary>A protobuf message that does not parse; <see cref="Offset"/> is where in the file.</summary>
internal sealed class ProtoWireException(long offset, string problem) : Exception(problem)
{
    public long Offset { get; } = offset;
}
