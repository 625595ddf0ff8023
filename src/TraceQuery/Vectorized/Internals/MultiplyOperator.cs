using System.Numerics;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>x · y (integers wrap like unchecked C#).</summary>
internal readonly struct MultiplyOperator<T> : IBinaryOperator<T>
    where T : INumberBase<T>
{
    public static bool Vectorizable => true;

    public static T Invoke(T x, T y) => x * y;

    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x * y;
}
