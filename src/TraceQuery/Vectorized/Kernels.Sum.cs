using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Vectorized;

public static partial class Kernels
{
    /// <summary>
    /// The sum of <paramref name="x"/>, 0 when empty. Lanes are summed separately and combined at the end, so the
    /// rounding differs slightly from a sequential loop. O(n), no allocation.
    /// </summary>
    public static float Sum(ReadOnlySpan<float> x) =>
        KernelDrivers.Aggregate<float, float, IdentityOperator<float>, AddOperator<float>>(x, 0f);

    /// <summary>
    /// The sum of <paramref name="x"/>, 0 when empty. Lanes are summed separately and combined at the end, so the
    /// rounding differs slightly from a sequential loop. O(n), no allocation.
    /// </summary>
    public static double Sum(ReadOnlySpan<double> x) =>
        KernelDrivers.Aggregate<double, double, IdentityOperator<double>, AddOperator<double>>(x, 0d);

    /// <summary>
    /// The sum of <paramref name="x"/>, 0 when empty; overflow wraps like unchecked C#, so the result is exact
    /// modulo 2^64. O(n), no allocation.
    /// </summary>
    public static long Sum(ReadOnlySpan<long> x) =>
        KernelDrivers.Aggregate<long, long, IdentityOperator<long>, AddOperator<long>>(x, 0L);
}
