using System.Numerics;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>
/// min(x, y) with <see cref="Math.Min(double, double)"/> semantics: NaN wins, −0.0 is below +0.0; identity +∞
/// (<c>MaxValue</c> for integers).
/// </summary>
internal readonly struct MinOperator<T> : IAggregationOperator<T>
    where T : INumber<T>
{
    public static bool Vectorizable => true;

    public static T IdentityValue => T.CreateSaturating(double.PositiveInfinity);

    public static T Invoke(T x, T y) => T.Min(x, y);

    // Since .NET 9 Vector256.Min follows the same IEEE 754:2019 minimum as T.Min (NaN, signed zero).
    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.Min(x, y);

    public static T Invoke(Vector256<T> x)
    {
        T result = x[0];
        for (int lane = 1; lane < Vector256<T>.Count; lane++)
            result = T.Min(result, x[lane]);
        return result;
    }
}
