using System.Numerics;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>
/// max(x, y) with <see cref="Math.Max(double, double)"/> semantics: NaN wins, +0.0 is above −0.0; identity −∞
/// (<c>MinValue</c> for integers).
/// </summary>
internal readonly struct MaxOperator<T> : IAggregationOperator<T>
    where T : INumber<T>
{
    public static bool Vectorizable => true;

    public static T IdentityValue => T.CreateSaturating(double.NegativeInfinity);

    public static T Invoke(T x, T y) => T.Max(x, y);

    // Since .NET 9 Vector256.Max follows the same IEEE 754:2019 maximum as T.Max (NaN, signed zero).
    public static Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.Max(x, y);

    public static T Invoke(Vector256<T> x)
    {
        T result = x[0];
        for (int lane = 1; lane < Vector256<T>.Count; lane++)
            result = T.Max(result, x[lane]);
        return result;
    }
}
