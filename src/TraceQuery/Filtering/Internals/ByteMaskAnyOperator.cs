using System.Runtime.Intrinsics;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary><c>(value &amp; mask) ≠ 0</c> over a byte column (the kind zone map: does a block hold any wanted kind).</summary>
internal readonly struct ByteMaskAnyOperator(byte mask) : IBooleanUnaryOperator<byte>
{
    public bool Invoke(byte value) => (value & mask) != 0;

    public Vector256<byte> Invoke(Vector256<byte> values) =>
        ~Vector256.Equals(values & Vector256.Create(mask), Vector256<byte>.Zero);
}
