using System.Runtime.Intrinsics;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary><c>value ∈ {a, b, c}</c> over the kind column (a set of at most three byte values; repeat one to list fewer).</summary>
internal readonly struct KindInSetOperator(byte a, byte b, byte c) : IBooleanUnaryOperator<byte>
{
    public bool Invoke(byte value) => value == a || value == b || value == c;

    public Vector256<byte> Invoke(Vector256<byte> values) =>
        Vector256.Equals(values, Vector256.Create(a)) | Vector256.Equals(values, Vector256.Create(b)) | Vector256.Equals(values, Vector256.Create(c));
}
