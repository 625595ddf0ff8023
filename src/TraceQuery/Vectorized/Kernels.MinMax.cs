using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Vectorized;

public static partial class Kernels
{
    /// <summary>
    /// The smallest element, with <see cref="Math.Min(float, float)"/> rules: NaN if any element is NaN, −0.0
    /// below +0.0. Throws <see cref="ArgumentException"/> when empty. O(n), no allocation.
    /// </summary>
    public static float Min(ReadOnlySpan<float> x)
    {
        ThrowIfEmpty(x, nameof(x));
        return KernelDrivers.Aggregate<float, float, IdentityOperator<float>, MinOperator<float>>(x, 0f);
    }

    /// <summary>
    /// The smallest element, with <see cref="Math.Min(double, double)"/> rules: NaN if any element is NaN, −0.0
    /// below +0.0. Throws <see cref="ArgumentException"/> when empty. O(n), no allocation.
    /// </summary>
    public static double Min(ReadOnlySpan<double> x)
    {
        ThrowIfEmpty(x, nameof(x));
        return KernelDrivers.Aggregate<double, double, IdentityOperator<double>, MinOperator<double>>(x, 0d);
    }

    /// <summary>The smallest element; throws <see cref="ArgumentException"/> when empty. O(n), no allocation.</summary>
    public static long Min(ReadOnlySpan<long> x)
    {
        ThrowIfEmpty(x, nameof(x));
        return KernelDrivers.Aggregate<long, long, IdentityOperator<long>, MinOperator<long>>(x, 0L);
    }

    /// <summary>
    /// The largest element, with <see cref="Math.Max(float, float)"/> rules: NaN if any element is NaN, +0.0
    /// above −0.0. Throws <see cref="ArgumentException"/> when empty. O(n), no allocation.
    /// </summary>
    public static float Max(ReadOnlySpan<float> x)
    {
        ThrowIfEmpty(x, nameof(x));
        return KernelDrivers.Aggregate<float, float, IdentityOperator<float>, MaxOperator<float>>(x, 0f);
    }

    /// <summary>
    /// The largest element, with <see cref="Math.Max(double, double)"/> rules: NaN if any element is NaN, +0.0
    /// above −0.0. Throws <see cref="ArgumentException"/> when empty. O(n), no allocation.
    /// </summary>
    public static double Max(ReadOnlySpan<double> x)
    {
        ThrowIfEmpty(x, nameof(x));
        return KernelDrivers.Aggregate<double, double, IdentityOperator<double>, MaxOperator<double>>(x, 0d);
    }

    /// <summary>The largest element; throws <see cref="ArgumentException"/> when empty. O(n), no allocation.</summary>
    public static long Max(ReadOnlySpan<long> x)
    {
        ThrowIfEmpty(x, nameof(x));
        return KernelDrivers.Aggregate<long, long, IdentityOperator<long>, MaxOperator<long>>(x, 0L);
    }

    /// <summary>
    /// <see cref="Min(ReadOnlySpan{float})"/> and <see cref="Max(ReadOnlySpan{float})"/> in one pass over the
    /// data, with the same NaN and signed-zero rules. Throws <see cref="ArgumentException"/> when empty. O(n).
    /// </summary>
    public static (float Min, float Max) MinMax(ReadOnlySpan<float> x)
    {
        ThrowIfEmpty(x, nameof(x));
        return KernelDrivers.AggregatePair<float, MinOperator<float>, MaxOperator<float>>(x);
    }

    /// <summary>
    /// <see cref="Min(ReadOnlySpan{double})"/> and <see cref="Max(ReadOnlySpan{double})"/> in one pass over the
    /// data, with the same NaN and signed-zero rules. Throws <see cref="ArgumentException"/> when empty. O(n).
    /// </summary>
    public static (double Min, double Max) MinMax(ReadOnlySpan<double> x)
    {
        ThrowIfEmpty(x, nameof(x));
        return KernelDrivers.AggregatePair<double, MinOperator<double>, MaxOperator<double>>(x);
    }

    /// <summary>
    /// The smallest and largest element in one pass over the data. Throws <see cref="ArgumentException"/> when
    /// empty. O(n), no allocation.
    /// </summary>
    public static (long Min, long Max) MinMax(ReadOnlySpan<long> x)
    {
        ThrowIfEmpty(x, nameof(x));
        return KernelDrivers.AggregatePair<long, MinOperator<long>, MaxOperator<long>>(x);
    }
}
