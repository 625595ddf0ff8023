using System.Numerics;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>x + y (integers wrap like unchecked C#); identity 0.</summary>
internal readonly struct AddOperator<T> : IAggregationOperator<T>
    where T : INumberBase<T>
{
    public static bool Vectorizable => true;

    public static T IdentityValue => T.Zero;

    public static T Invoke(T x, T y) => x + y;

    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x + y;

    public static T Invoke(Vector256<T> x) => Vector256.Sum(x);
}
