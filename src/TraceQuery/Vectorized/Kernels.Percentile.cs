using System.Buffers;
using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Vectorized;

public static partial class Kernels
{
    /// <summary>
    /// The exact percentile <paramref name="p"/> (a fraction in [0, 1]: 0.95 for p95) by linear interpolation
    /// between the closest ranks, bit for bit like DuckDB's <c>quantile_cont</c>: RN = (n − 1)·p,
    /// lo·(1 − d) + hi·d with lo, hi the values at floor and ceil of RN and d its fraction. Partially reorders
    /// <paramref name="values"/> in place (selection, not a sort). Throws <see cref="ArgumentException"/> when
    /// empty or p is outside [0, 1] or NaN. O(n) expected and worst case, no allocation.
    /// </summary>
    public static double Percentile(Span<long> values, double p)
    {
        ThrowIfEmpty(values, nameof(values));
        ThrowIfNotFraction(p, nameof(p));
        return ContinuousQuantile.Of(values, p);
    }

    /// <summary>
    /// <see cref="Percentile(Span{long}, double)"/> for each fraction in <paramref name="ps"/> (any order, repeats
    /// allowed), written to the same positions of <paramref name="results"/>. One multi-selection places all
    /// the ranks (each split recurses on both sides), so p50, p95 and p99 together cost little more than one.
    /// Partially reorders <paramref name="values"/>. Throws <see cref="ArgumentException"/> when values is
    /// empty, a fraction is outside [0, 1] or NaN, or <paramref name="results"/> is shorter than
    /// <paramref name="ps"/>. O(n log m + m log m) for m fractions; allocates only for m above 32.
    /// </summary>
    public static void Percentiles(Span<long> values, ReadOnlySpan<double> ps, Span<double> results)
    {
        ThrowIfEmpty(values, nameof(values));
        if (results.Length < ps.Length)
            ThrowDestinationTooShort(nameof(results));
        foreach (double p in ps)
            ThrowIfNotFraction(p, nameof(ps));

        const int StackLimit = 32;
        double[]? rentedKeys = null;
        int[]? rentedInts = null;
        Span<double> keys = ps.Length <= StackLimit ? stackalloc double[StackLimit] : (rentedKeys = ArrayPool<double>.Shared.Rent(ps.Length));
        Span<int> ints = ps.Length <= StackLimit ? stackalloc int[2 * StackLimit] : (rentedInts = ArrayPool<int>.Shared.Rent(2 * ps.Length));
        keys = keys[..ps.Length];
        Span<int> order = ints[..ps.Length];
        Span<int> ranks = ints.Slice(ps.Length, ps.Length);
        ps.CopyTo(keys);
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        keys.Sort(order);

        ContinuousQuantile.Of(values, keys, order, results, ranks);

        if (rentedKeys is not null)
            ArrayPool<double>.Shared.Return(rentedKeys);
        if (rentedInts is not null)
            ArrayPool<int>.Shared.Return(rentedInts);
    }

    /// <summary>
    /// Buckets for exact quantiles over values kept in place (many groups at once, one histogram each): bucket 0 holds
    /// every negative value, bucket 1 + b the non-negative values of log-linear bucket b (64 sub-buckets per power of
    /// two). Monotone: every value of a lower bucket is smaller than every value of a higher one.
    /// </summary>
    internal const int QuantileBucketCount = BucketedQuantile.BucketCount + 1;

    /// <summary>The bucket of <paramref name="value"/> among <see cref="QuantileBucketCount"/>.</summary>
    internal static int QuantileBucket(long value) => value < 0 ? 0 : 1 + BucketedQuantile.BucketOf((ulong)value);

    /// <summary>
    /// DuckDB's <c>quantile_cont</c> from the two order statistics around RN = (n − 1)·p (<paramref name="lo"/> at
    /// floor(RN), <paramref name="hi"/> at ceil(RN)): the same arithmetic as <see cref="Percentile(Span{long}, double)"/>.
    /// </summary>
    internal static double InterpolateQuantile(long lo, long hi, double position, int floor) =>
        ContinuousQuantile.Interpolate(lo, hi, position, floor);
}
