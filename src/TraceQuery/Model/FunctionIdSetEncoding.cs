namespace TraceQuery.Model;

/// <summary>How <see cref="FunctionIdSet"/> encoded a set of symbol indices (the first byte of the encoded bytes).</summary>
public enum FunctionIdSetEncoding : byte
{
    /// <summary>
    /// <c>0x01</c>, varint first index, varint bit count, then the bits LSB-first (bit i of byte i/8 set ⇔
    /// first + i is in the set). Small for dense sets.
    /// </summary>
    Bitset = 1,

    /// <summary><c>0x02</c>, varint count, then varint first index and varint (gap − 1) to each next index. Small for sparse sets.</summary>
    DeltaList = 2,
}
