using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>x (the argument is unused): aggregations of the elements themselves.</summary>
internal readonly struct IdentityOperator<T> : ITransformOperator<T, T>
{
    public static bool Vectorizable => true;

    public static T Invoke(T x, T argument) => x;

    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> argument) => x;
}
