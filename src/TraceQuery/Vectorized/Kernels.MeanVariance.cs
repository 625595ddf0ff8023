using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Vectorized;

public static partial class Kernels
{
    /// <summary>
    /// The mean and the population variance (divided by n) in two passes: the mean first, then the mean of
    /// squared deviations from it, which avoids the cancellation of sum-of-squares formulas. Lane-wise
    /// summation rounds slightly differently from a sequential loop. Throws <see cref="ArgumentException"/> when
    /// empty. O(n), two reads of the data, no allocation.
    /// </summary>
    public static (double Mean, double Variance) MeanVariance(ReadOnlySpan<double> x)
    {
        ThrowIfEmpty(x, nameof(x));
        double mean = KernelDrivers.Aggregate<double, double, IdentityOperator<double>, AddOperator<double>>(x, 0d) / x.Length;
        double squares = KernelDrivers.Aggregate<double, double, SquaredDeviationOperator<double, IdentityOperator<double>>, AddOperator<double>>(x, mean);
        return (mean, squares / x.Length);
    }

    /// <summary>
    /// The mean and the population variance (divided by n) of integers, computed in <see cref="double"/> by the
    /// same two passes as <see cref="MeanVariance(ReadOnlySpan{double})"/> (no overflow; values beyond 2^53 are
    /// rounded). Throws <see cref="ArgumentException"/> when empty. O(n), two reads of the data, no allocation.
    /// </summary>
    public static (double Mean, double Variance) MeanVariance(ReadOnlySpan<long> x)
    {
        ThrowIfEmpty(x, nameof(x));
        double mean = KernelDrivers.Aggregate<long, double, ToDoubleOperator, AddOperator<double>>(x, 0d) / x.Length;
        double squares = KernelDrivers.Aggregate<long, double, SquaredDeviationOperator<long, ToDoubleOperator>, AddOperator<double>>(x, mean);
        return (mean, squares / x.Length);
    }
}
