using TraceQuery.Vectorized;
using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Tests.Vectorized;

[TestClass]
public sealed class PercentileTests
{
    private static readonly double[] CommonFractions = [0, 0.001, 0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Percentiles_RandomEveryLength_ThenEqualSortBasedQuantileContBitForBit(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths().Where(n => n >= 1))
        {
            long[] original = length % 3 == 0 ? KernelTestData.LongsWithDuplicates(random, length) : KernelTestData.Longs(random, length);
            long[] sorted = original.Order().ToArray();
            double[] ps = [.. CommonFractions, random.NextDouble(), random.NextDouble()];
            random.Shuffle(ps);

            var results = new double[ps.Length];
            long[] values = (long[])original.Clone();
            Kernels.Percentiles(values, ps, results);
            for (int i = 0; i < ps.Length; i++)
                KernelTestData.AssertSame(QuantileCont(sorted, ps[i]), results[i], $"length {length}, p {ps[i]:R}");
            CollectionAssert.AreEqual(sorted, values.Order().ToArray(), $"length {length}: not a permutation");

            double p = ps[length % ps.Length];
            KernelTestData.AssertSame(QuantileCont(sorted, p), Kernels.Percentile((long[])original.Clone(), p), $"single, length {length}, p {p:R}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Percentile_KnownValues_ThenMatchDuckDbQuantileCont(string path)
    {
        using var scope = KernelPaths.Enter(path);
        long[] zeroToNine = [9, 3, 0, 5, 7, 1, 8, 2, 6, 4];
        Assert.AreEqual(2.25, Kernels.Percentile((long[])zeroToNine.Clone(), 0.25));
        Assert.AreEqual(4.5, Kernels.Percentile((long[])zeroToNine.Clone(), 0.5));
        Assert.AreEqual(8.91, Kernels.Percentile((long[])zeroToNine.Clone(), 0.99), 1e-12);
        Assert.AreEqual(2.5, Kernels.Percentile([4, 1, 3, 2], 0.5));
        Assert.AreEqual(42.0, Kernels.Percentile([42], 0.37));
        Assert.AreEqual(0.0, Kernels.Percentile((long[])zeroToNine.Clone(), 0));
        Assert.AreEqual(9.0, Kernels.Percentile((long[])zeroToNine.Clone(), 1));
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Percentiles_ExtremeLongs_ThenEqualSortBasedReference(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (long[] original in KernelTestData.SpecialMixes(KernelTestData.SpecialLongs, random))
        {
            long[] sorted = original.Order().ToArray();
            var results = new double[CommonFractions.Length];
            Kernels.Percentiles((long[])original.Clone(), CommonFractions, results);
            for (int i = 0; i < CommonFractions.Length; i++)
                KernelTestData.AssertSame(QuantileCont(sorted, CommonFractions[i]), results[i], $"p {CommonFractions[i]} of [{string.Join(", ", original)}]");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Percentiles_ManyFractionsLargeInput_ThenEqualSortBasedReference(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        long[] original = KernelTestData.Longs(random, 200_003);
        long[] sorted = original.Order().ToArray();
        double[] ps = Enumerable.Range(0, 101).Select(i => i / 100.0).Concat([0.5, 0.5, 0.999]).ToArray();
        random.Shuffle(ps);
        var results = new double[ps.Length + 2];
        results[^1] = -1;
        Kernels.Percentiles(original, ps, results);
        for (int i = 0; i < ps.Length; i++)
            KernelTestData.AssertSame(QuantileCont(sorted, ps[i]), results[i], $"p {ps[i]:R}");
        Assert.AreEqual(-1.0, results[^1], "wrote past ps.Length");
    }

    [TestMethod]
    [DataRow("uniform")]
    [DataRow("heavy-tail")]
    [DataRow("all-equal")]
    [DataRow("two-values")]
    [DataRow("one-bucket")]
    [DataRow("mostly-one-value")]
    [DataRow("counting-widest")]
    [DataRow("counting-just-too-wide")]
    [DataRow("extremes")]
    [DataRow("negative")]
    public void Percentiles_LargeInputOfEveryShape_ThenBucketedPathEqualsSortBasedReference(string shape)
    {
        // Inputs from BucketedQuantile.Threshold on are answered by counting into buckets and selecting only
        // within the buckets that hold the wanted ranks; each shape stresses one way that could go wrong.
        var random = new Random(KernelTestData.Seed);
        foreach (int length in new[] { BucketedQuantileThreshold - 1, BucketedQuantileThreshold, BucketedQuantileThreshold + 1, 100_003 })
        {
            long[] original = shape switch
            {
                "uniform" => KernelTestData.Longs(random, length),
                "heavy-tail" => [.. Enumerable.Range(0, length).Select(_ => (long)Math.Exp(random.NextDouble() * 30))],
                "all-equal" => [.. Enumerable.Repeat(12_345L, length)],
                "two-values" => [.. Enumerable.Range(0, length).Select(_ => random.Next(2) == 0 ? 5L : 1_000_000L)],
                "one-bucket" => [.. Enumerable.Range(0, length).Select(_ => 1_000_000L + random.Next(1000))],
                "mostly-one-value" => [.. Enumerable.Range(0, length).Select(_ => random.Next(10) == 0 ? random.NextInt64() : 7L)],
                "counting-widest" => WithEnds(random, length, 5, 5 + BucketedQuantile.CountingRange - 1),
                "counting-just-too-wide" => WithEnds(random, length, -5, -5 + BucketedQuantile.CountingRange),
                "extremes" => [.. Enumerable.Range(0, length).Select(_ => KernelTestData.SpecialLongs[random.Next(KernelTestData.SpecialLongs.Length)])],
                _ => [.. Enumerable.Range(0, length).Select(_ => -(long)random.Next(1 << 30) * random.Next(1 << 20))],
            };
            long[] sorted = original.Order().ToArray();
            double[] ps = [.. CommonFractions, 0.5, random.NextDouble(), 1.0 / 3, 2.0 / 3];
            var results = new double[ps.Length];
            long[] values = (long[])original.Clone();
            Kernels.Percentiles(values, ps, results);
            for (int i = 0; i < ps.Length; i++)
                KernelTestData.AssertSame(QuantileCont(sorted, ps[i]), results[i], $"{shape}, length {length}, p {ps[i]:R}");
            CollectionAssert.AreEqual(sorted, values.Order().ToArray(), $"{shape}, length {length}: not a permutation");
            KernelTestData.AssertSame(QuantileCont(sorted, 0.99), Kernels.Percentile(values, 0.99), $"{shape}, single p99");
        }
    }

    [TestMethod]
    public void BucketOf_AcrossPowersOfTwo_ThenMonotoneAndWithinRange()
    {
        int previous = -1;
        var offsets = new List<ulong>();
        for (int bit = 0; bit < 64; bit++)
        {
            ulong power = 1UL << bit;
            offsets.AddRange([power - 1, power, power + 1, power + (power >> 1)]);
        }
        offsets.Add(ulong.MaxValue);
        foreach (ulong offset in offsets.Distinct().Order())
        {
            int bucket = BucketedQuantile.BucketOf(offset);
            Assert.IsGreaterThanOrEqualTo(previous, bucket, $"offset {offset}");
            Assert.IsLessThan(1920, bucket, $"offset {offset}");
            previous = bucket;
        }
        Assert.AreEqual(1919, BucketedQuantile.BucketOf(ulong.MaxValue));
        Assert.AreEqual(63, BucketedQuantile.BucketOf(63));
        Assert.AreEqual(64, BucketedQuantile.BucketOf(64));
    }

    private const int BucketedQuantileThreshold = BucketedQuantile.Threshold;

    // Values in [low, high] with both ends present, so the range is exactly high - low.
    private static long[] WithEnds(Random random, int length, long low, long high)
    {
        var values = Enumerable.Range(0, length).Select(_ => low + random.NextInt64(high - low + 1)).ToArray();
        values[random.Next(length)] = low;
        values[random.Next(length)] = high;
        return values;
    }

    [TestMethod]
    public void Percentiles_NoFractions_ThenNothingWritten()
    {
        var results = new double[] { 7 };
        Kernels.Percentiles(new long[] { 1, 2, 3 }, ReadOnlySpan<double>.Empty, results);
        Assert.AreEqual(7.0, results[0]);
    }

    [TestMethod]
    public void Percentile_BadArguments_ThenArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Percentile(Span<long>.Empty, 0.5));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Kernels.Percentile(new long[] { 1 }, -0.01));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Kernels.Percentile(new long[] { 1 }, 1.01));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Kernels.Percentile(new long[] { 1 }, double.NaN));
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Percentiles(Span<long>.Empty, new[] { 0.5 }, new double[1]));
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Percentiles(new long[] { 1, 2 }, new[] { 0.5, 0.9 }, new double[1]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Kernels.Percentiles(new long[] { 1, 2 }, new[] { 0.5, 95 }, new double[2]));
    }

    // DuckDB quantile_cont over a sorted copy: RN = (n - 1)·p, lo/hi at floor/ceil(RN) cast to double, and for a
    // double result lo·(1 − d) + hi·d (CastInterpolation::Interpolate<double>).
    private static double QuantileCont(long[] sorted, double p)
    {
        double rn = (double)(sorted.Length - 1) * p;
        int frn = (int)Math.Floor(rn);
        int crn = (int)Math.Ceiling(rn);
        double lo = sorted[frn];
        if (frn == crn)
            return lo;
        double hi = sorted[crn];
        double d = rn - frn;
        return (lo * (1.0 - d)) + (hi * d);
    }
}
