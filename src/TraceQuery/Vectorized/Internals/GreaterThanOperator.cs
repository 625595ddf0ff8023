using System.Numerics;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>x &gt; threshold (false whenever either side is NaN).</summary>
internal readonly struct GreaterThanOperator<T>(T threshold) : IBooleanUnaryOperator<T>
    where T : unmanaged, INumber<T>
{
    private readonly Vector256<T> _thresholds = Vector256.Create(threshold);

    public bool Invoke(T value) => value > threshold;

    public Vector256<T> Invoke(Vector256<T> values) => Vector256.GreaterThan(values, _thresholds);
}
