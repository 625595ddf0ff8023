using System.Numerics;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>x &amp; y (bitmap intersection).</summary>
internal readonly struct BitwiseAndOperator<T> : IBinaryOperator<T>
    where T : IBinaryInteger<T>
{
    public static bool Vectorizable => true;

    public static T Invoke(T x, T y) => x & y;

    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x & y;
}
