using System.Runtime.Intrinsics;
using TraceQuery.Vectorized;
using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Tests.Vectorized;

[TestClass]
public sealed class MeanVarianceTests
{
    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void MeanVariance_RandomDoublesEveryLength_ThenMatchesTwoPassReferenceWithinTolerance(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths().Where(n => n >= 1))
        {
            double[] x = KernelTestData.Doubles(random, length);
            (double mean, double variance) = Reference(x);
            (double actualMean, double actualVariance) = Kernels.MeanVariance(x);
            double scale = x.Max(Math.Abs);
            Assert.AreEqual(mean, actualMean, (scale * 1e-13) + 1e-300, $"mean, length {length}");
            Assert.AreEqual(variance, actualVariance, (variance * 1e-10) + (scale * scale * 1e-15), $"variance, length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void MeanVariance_RandomLongsEveryLength_ThenMatchesTwoPassReferenceWithinTolerance(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths().Where(n => n >= 1))
        {
            long[] x = KernelTestData.Longs(random, length);
            (double mean, double variance) = Reference(x.Select(v => (double)v).ToArray());
            (double actualMean, double actualVariance) = Kernels.MeanVariance(x);
            double scale = x.Max(v => Math.Abs((double)v));
            Assert.AreEqual(mean, actualMean, scale * 1e-13, $"mean, length {length}");
            Assert.AreEqual(variance, actualVariance, (variance * 1e-10) + (scale * scale * 1e-15), $"variance, length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void MeanVariance_LargeOffsetSmallSpread_ThenNoCancellation(string path)
    {
        using var scope = KernelPaths.Enter(path);
        // Durations around one second in nanoseconds differing by a few ns: E[x²] − E[x]² would lose everything.
        long[] x = Enumerable.Range(0, 1001).Select(i => 1_000_000_000_000L + (i % 4)).ToArray();
        (double mean, double variance) = Kernels.MeanVariance(x);
        (double expectedMean, double expectedVariance) = Reference(x.Select(v => (double)v).ToArray());
        Assert.AreEqual(expectedMean, mean, 1e-3);
        Assert.AreEqual(expectedVariance, variance, 1e-6);
        Assert.AreEqual(1.25, variance, 0.01);
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void MeanVariance_SpecialValues_ThenNaNAndInfinityLikeReference(string path)
    {
        using var scope = KernelPaths.Enter(path);
        Assert.AreEqual((5.0, 0.0), Kernels.MeanVariance([5.0]));
        Assert.AreEqual((2.5, 1.25), Kernels.MeanVariance([1.0, 2.0, 3.0, 4.0]));
        Assert.AreEqual((2.5, 1.25), Kernels.MeanVariance([1L, 2L, 3L, 4L]));

        (double mean, double variance) = Kernels.MeanVariance([1, 2, double.NaN, 4, 5, 6, 7, 8, 9]);
        Assert.IsTrue(double.IsNaN(mean) && double.IsNaN(variance));
        (mean, variance) = Kernels.MeanVariance([1, 2, double.PositiveInfinity, 4, 5, 6, 7, 8, 9]);
        Assert.AreEqual(double.PositiveInfinity, mean);
        Assert.IsTrue(double.IsNaN(variance));

        (mean, variance) = Kernels.MeanVariance([long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue]);
        Assert.AreEqual((double)long.MaxValue, mean);
        Assert.AreEqual(0.0, variance);
        (mean, variance) = Kernels.MeanVariance([long.MinValue, long.MaxValue, long.MinValue, long.MaxValue]);
        Assert.AreEqual(0.0, mean, 1.0);
        Assert.AreEqual(Math.Pow(2, 126), variance, Math.Pow(2, 126) * 1e-12);
    }

    [TestMethod]
    public void ToDoubleConvert_FullRangeAndRoundingTies_ThenEqualsScalarCastBitForBit()
    {
        var random = new Random(KernelTestData.Seed);
        var values = new List<long>(KernelTestData.SpecialLongs) { 1L << 53, (1L << 53) + 1, (1L << 53) + 3, (1L << 54) + 2, (1L << 54) + 6, -(1L << 53) - 1, 0xFFFF_FFFFL, 0x1_0000_0000L, -0x1_0000_0000L, -0xFFFF_FFFFL };
        for (int shift = 0; shift < 63; shift++)
        {
            values.Add((1L << shift) - 1);
            values.Add(1L << shift);
            values.Add(-(1L << shift));
            values.Add(-(1L << shift) + 1);
        }

        for (int i = 0; i < 20_000; i++)
            values.Add(random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64));
        while (values.Count % 4 != 0)
            values.Add(0);

        for (int i = 0; i < values.Count; i += 4)
        {
            var lanes = Vector256.Create(values[i], values[i + 1], values[i + 2], values[i + 3]);
            var converted = ToDoubleOperator.Convert(lanes);
            for (int lane = 0; lane < 4; lane++)
            {
                long value = values[i + lane];
                if (BitConverter.DoubleToInt64Bits(converted[lane]) != BitConverter.DoubleToInt64Bits(value))
                    Assert.Fail($"{value}: expected {(double)value:R}, got {converted[lane]:R}");
            }
        }
    }

    [TestMethod]
    public void MeanVariance_Empty_ThenArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.MeanVariance(ReadOnlySpan<double>.Empty));
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.MeanVariance(ReadOnlySpan<long>.Empty));
    }

    // Population variance by the textbook two passes, sequentially.
    private static (double Mean, double Variance) Reference(double[] x)
    {
        double sum = 0;
        foreach (double v in x)
            sum += v;
        double mean = sum / x.Length;
        double squares = 0;
        foreach (double v in x)
            squares += (v - mean) * (v - mean);
        return (mean, squares / x.Length);
    }
}
