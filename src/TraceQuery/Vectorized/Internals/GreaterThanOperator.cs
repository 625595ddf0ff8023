using System.Numerics;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>x &gt; y (false whenever either side is NaN).</summary>
internal readonly struct GreaterThanOperator<T> : IPredicateOperator<T>
    where T : INumber<T>
{
    public static bool Vectorizable => true;

    public static bool Invoke(T x, T y) => x > y;

    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.GreaterThan(x, y);
}
