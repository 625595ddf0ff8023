using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Vectorized;

public static partial class Kernels
{
    /// <summary>
    /// How many elements are greater than <paramref name="threshold"/>; NaN never counts (and a NaN threshold
    /// counts nothing). O(n), no allocation.
    /// </summary>
    public static int CountGreaterThan(ReadOnlySpan<float> x, float threshold) =>
        KernelDrivers.Count(x, new GreaterThanOperator<float>(threshold));

    /// <summary>
    /// How many elements are greater than <paramref name="threshold"/>; NaN never counts (and a NaN threshold
    /// counts nothing). O(n), no allocation.
    /// </summary>
    public static int CountGreaterThan(ReadOnlySpan<double> x, double threshold) =>
        KernelDrivers.Count(x, new GreaterThanOperator<double>(threshold));

    /// <summary>How many elements are greater than <paramref name="threshold"/>. O(n), no allocation.</summary>
    public static int CountGreaterThan(ReadOnlySpan<long> x, long threshold) =>
        KernelDrivers.Count(x, new GreaterThanOperator<long>(threshold));
}
