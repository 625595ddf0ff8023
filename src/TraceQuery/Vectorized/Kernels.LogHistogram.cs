using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Vectorized;

public static partial class Kernels
{
    /// <summary>
    /// Overwrites <paramref name="bucketCounts"/> with a power-of-two histogram: bucket b counts the values v
    /// with floor(log2(max(v, 1))) == b, so 0, 1 and negative values land in bucket 0, and the last bucket also
    /// takes every larger value. 64 buckets hold any <see cref="long"/>. Throws <see cref="ArgumentException"/>
    /// when <paramref name="bucketCounts"/> is empty. O(n), no heap allocation.
    /// </summary>
    public static void LogHistogram(ReadOnlySpan<long> values, Span<long> bucketCounts)
    {
        if (bucketCounts.IsEmpty)
            ThrowEmpty(nameof(bucketCounts));
        if (KernelDispatch.ForceScalar || values.Length < Log2Histogram.MinimumLengthForTables)
            Log2Histogram.FillScalar(values, bucketCounts);
        else
            Log2Histogram.Fill(values, bucketCounts);
    }
}
