using System.Numerics;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>x ^ y; with y all ones, the complement ~x (bitmap complement through <see cref="KernelDrivers.Transform{T, TOperator}"/>).</summary>
internal readonly struct XorOperator<T> : IBinaryOperator<T>
    where T : IBinaryInteger<T>
{
    public static bool Vectorizable => true;

    public static T Invoke(T x, T y) => x ^ y;

    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x ^ y;
}
