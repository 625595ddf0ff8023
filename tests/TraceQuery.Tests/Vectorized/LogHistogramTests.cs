using TraceQuery.Vectorized;
using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Tests.Vectorized;

[TestClass]
public sealed class LogHistogramTests
{
    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void LogHistogram_RandomEveryLength_ThenEqualsPowerOfTwoReference(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        int[] bucketLengths = [1, 2, 7, 20, 40, 63, 64, 70];
        foreach (int length in KernelTestData.Lengths())
        {
            long[] values = KernelTestData.Longs(random, length);
            int buckets = bucketLengths[length % bucketLengths.Length];
            var actual = new long[buckets];
            Array.Fill(actual, 99L); // overwritten, not added to
            Kernels.LogHistogram(values, actual);
            CollectionAssert.AreEqual(Reference(values, buckets), actual, $"length {length}, {buckets} buckets");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void LogHistogram_Boundaries_ThenPowersOfTwoOpenEachBucket(string path)
    {
        using var scope = KernelPaths.Enter(path);
        long[] values = [long.MinValue, -1, 0, 1, 2, 3, 4, 7, 8, 1023, 1024, long.MaxValue, 1L << 62, (1L << 62) - 1];
        var counts = new long[64];
        Kernels.LogHistogram(values, counts);
        var expected = new long[64];
        expected[0] = 4;  // MinValue, -1, 0, 1
        expected[1] = 2;  // 2, 3
        expected[2] = 2;  // 4, 7
        expected[3] = 1;  // 8
        expected[9] = 1;  // 1023
        expected[10] = 1; // 1024
        expected[61] = 1; // 2^62 - 1
        expected[62] = 2; // 2^62, MaxValue
        CollectionAssert.AreEqual(expected, counts);

        var clamped = new long[4];
        Kernels.LogHistogram(values, clamped);
        CollectionAssert.AreEqual(new long[] { 4, 2, 2, 6 }, clamped);

        var single = new long[1];
        Kernels.LogHistogram(values, single);
        Assert.AreEqual(values.Length, single[0]);
    }

    [TestMethod]
    public void LogHistogram_EmptyBuckets_ThenArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.LogHistogram(new long[] { 1, 2 }, Span<long>.Empty));
    }

    [TestMethod]
    public void LogHistogram_EmptyValues_ThenAllZero()
    {
        long[] counts = [5, 5, 5];
        Kernels.LogHistogram(ReadOnlySpan<long>.Empty, counts);
        CollectionAssert.AreEqual(new long[] { 0, 0, 0 }, counts);
    }

    [TestMethod]
    public void LogHistogramFill_FourTablesEveryLength_ThenEqualsPowerOfTwoReference()
    {
        // Kernels.LogHistogram uses the four-table body only from MinimumLengthForTables; cover it at every length.
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths())
        {
            long[] values = KernelTestData.Longs(random, length);
            int buckets = 1 + (length % 70);
            var actual = new long[buckets];
            Log2Histogram.Fill(values, actual);
            CollectionAssert.AreEqual(Reference(values, buckets), actual, $"length {length}, {buckets} buckets");
        }
    }

    [TestMethod]
    public void LogHistogram_UnrolledAndScalarPaths_ThenAgree()
    {
        var random = new Random(KernelTestData.Seed);
        long[] values = KernelTestData.Longs(random, 5003);
        var dispatched = new long[30];
        Kernels.LogHistogram(values, dispatched);
        var scalar = new long[30];
        using (KernelPaths.Enter(KernelPaths.Scalar))
            Kernels.LogHistogram(values, scalar);
        CollectionAssert.AreEqual(scalar, dispatched);
    }

    // Bucket b holds 2^b <= v < 2^(b+1) (v <= 1 in bucket 0), by doubling instead of counting bits.
    private static long[] Reference(long[] values, int buckets)
    {
        var counts = new long[buckets];
        foreach (long v in values)
        {
            int b = 0;
            while (b < 62 && (1L << (b + 1)) <= v)
                b++;
            counts[Math.Min(b, buckets - 1)]++;
        }

        return counts;
    }
}
