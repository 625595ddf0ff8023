using System.Numerics;
using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Vectorized;

public static partial class Kernels
{
    /// <summary>
    /// The smallest element, with <see cref="Math.Min(float, float)"/> rules: NaN if any element is NaN, −0.0
    /// below +0.0. Throws <see cref="ArgumentException"/> when empty. O(n), no allocation.
    /// </summary>
    public static float Min(ReadOnlySpan<float> x) => Aggregate<float, MinOperator<float>>(x);

    /// <summary>
    /// The smallest element, with <see cref="Math.Min(double, double)"/> rules: NaN if any element is NaN, −0.0
    /// below +0.0. Throws <see cref="ArgumentException"/> when empty. O(n), no allocation.
    /// </summary>
    public static double Min(ReadOnlySpan<double> x) => Aggregate<double, MinOperator<double>>(x);

    /// <summary>The smallest element; throws <see cref="ArgumentException"/> when empty. O(n), no allocation.</summary>
    public static long Min(ReadOnlySpan<long> x) => Aggregate<long, MinOperator<long>>(x);

    /// <summary>
    /// The largest element, with <see cref="Math.Max(float, float)"/> rules: NaN if any element is NaN, +0.0
    /// above −0.0. Throws <see cref="ArgumentException"/> when empty. O(n), no allocation.
    /// </summary>
    public static float Max(ReadOnlySpan<float> x) => Aggregate<float, MaxOperator<float>>(x);

    /// <summary>
    /// The largest element, with <see cref="Math.Max(double, double)"/> rules: NaN if any element is NaN, +0.0
    /// above −0.0. Throws <see cref="ArgumentException"/> when empty. O(n), no allocation.
    /// </summary>
    public static double Max(ReadOnlySpan<double> x) => Aggregate<double, MaxOperator<double>>(x);

    /// <summary>The largest element; throws <see cref="ArgumentException"/> when empty. O(n), no allocation.</summary>
    public static long Max(ReadOnlySpan<long> x) => Aggregate<long, MaxOperator<long>>(x);

    /// <summary>
    /// <see cref="Min(ReadOnlySpan{float})"/> and <see cref="Max(ReadOnlySpan{float})"/> in one pass over the
    /// data, with the same NaN and signed-zero rules. Throws <see cref="ArgumentException"/> when empty. O(n).
    /// </summary>
    public static (float Min, float Max) MinMax(ReadOnlySpan<float> x) => MinMaxOf(x);

    /// <summary>
    /// <see cref="Min(ReadOnlySpan{double})"/> and <see cref="Max(ReadOnlySpan{double})"/> in one pass over the
    /// data, with the same NaN and signed-zero rules. Throws <see cref="ArgumentException"/> when empty. O(n).
    /// </summary>
    public static (double Min, double Max) MinMax(ReadOnlySpan<double> x) => MinMaxOf(x);

    /// <summary>
    /// The smallest and largest element in one pass over the data. Throws <see cref="ArgumentException"/> when
    /// empty. O(n), no allocation.
    /// </summary>
    public static (long Min, long Max) MinMax(ReadOnlySpan<long> x) => MinMaxOf(x);

    private static T Aggregate<T, TOperator>(ReadOnlySpan<T> x)
        where T : unmanaged, INumber<T>
        where TOperator : struct, IAggregationOperator<T>
    {
        ThrowIfEmpty(x, nameof(x));
        return KernelDrivers.Aggregate<T, T, IdentityOperator<T>, TOperator>(x, T.Zero);
    }

    private static (T Min, T Max) MinMaxOf<T>(ReadOnlySpan<T> x)
        where T : unmanaged, INumber<T>
    {
        ThrowIfEmpty(x, nameof(x));
        return KernelDrivers.AggregatePair<T, MinOperator<T>, MaxOperator<T>>(x);
    }
}
