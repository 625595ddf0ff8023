using TraceQuery.Vectorized;

namespace TraceQuery.Tests.Vectorized;

[TestClass]
public sealed class SumTests
{
    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Sum_RandomDoublesEveryLength_ThenMatchesSequentialSumWithinTolerance(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths())
        {
            double[] x = KernelTestData.Doubles(random, length);
            double expected = 0, magnitude = 0;
            foreach (double v in x)
            {
                expected += v;
                magnitude += Math.Abs(v);
            }

            Assert.AreEqual(expected, Kernels.Sum(x), (magnitude * 1e-13) + 1e-300, $"length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Sum_RandomFloatsEveryLength_ThenMatchesSequentialSumWithinTolerance(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths())
        {
            float[] x = KernelTestData.Floats(random, length);
            double expected = 0, magnitude = 0;
            foreach (float v in x)
            {
                expected += v;
                magnitude += Math.Abs(v);
            }

            Assert.AreEqual(expected, Kernels.Sum(x), (magnitude * 2e-5) + 1e-30, $"length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Sum_RandomLongsEveryLength_ThenEqualsUncheckedSequentialSum(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths())
        {
            long[] x = KernelTestData.Longs(random, length);
            long expected = 0;
            foreach (long v in x)
                expected = unchecked(expected + v);
            Assert.AreEqual(expected, Kernels.Sum(x), $"length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Sum_Overflow_ThenWrapsLikeUncheckedCSharp(string path)
    {
        using var scope = KernelPaths.Enter(path);
        long[] x = [long.MaxValue, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.AreEqual(long.MinValue, Kernels.Sum(x));
        Assert.AreEqual(-2L, Kernels.Sum([long.MaxValue, long.MaxValue, 0, 0, 0]));
        Assert.AreEqual(0L, Kernels.Sum([long.MinValue, long.MinValue, 0, 0, 0, 0, 0, 0, 0]));
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Sum_SpecialValues_ThenNaNAndInfinitiesPropagate(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        // No MaxValue here: whether MaxValue + MaxValue overflows before a MinValue arrives depends on order.
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.Epsilon, -double.Epsilon, 1.0, -1.0];
        foreach (double[] x in KernelTestData.SpecialMixes(specials, random))
        {
            double expected = 0;
            foreach (double v in x)
                expected += v;
            double actual = Kernels.Sum(x);
            if (double.IsFinite(expected))
                Assert.AreEqual(expected, actual, 1e-12, $"[{string.Join(", ", x)}]");
            else
                KernelTestData.AssertSame(expected, actual, $"[{string.Join(", ", x)}]");
        }

        Assert.AreEqual(double.PositiveInfinity, Kernels.Sum([1, 2, double.PositiveInfinity, 4, 5, 6]));
        Assert.IsTrue(double.IsNaN(Kernels.Sum([1, double.PositiveInfinity, 3, 4, double.NegativeInfinity])));
        Assert.IsTrue(float.IsNaN(Kernels.Sum([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, float.NaN])));
        Assert.AreEqual(9 * float.Epsilon, Kernels.Sum([float.Epsilon, float.Epsilon, float.Epsilon, float.Epsilon, float.Epsilon, float.Epsilon, float.Epsilon, float.Epsilon, float.Epsilon]));
    }

    [TestMethod]
    public void Sum_Empty_ThenZero()
    {
        Assert.AreEqual(0.0, Kernels.Sum(ReadOnlySpan<double>.Empty));
        Assert.AreEqual(0f, Kernels.Sum(ReadOnlySpan<float>.Empty));
        Assert.AreEqual(0L, Kernels.Sum(ReadOnlySpan<long>.Empty));
    }

    [TestMethod]
    public void Sum_VectorAndScalarPaths_ThenAgree()
    {
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths())
        {
            long[] longs = KernelTestData.Longs(random, length);
            double[] doubles = KernelTestData.Doubles(random, length);
            long dispatchedLong = Kernels.Sum(longs);
            double dispatchedDouble = Kernels.Sum(doubles);
            using var scope = KernelPaths.Enter(KernelPaths.Scalar);
            Assert.AreEqual(Kernels.Sum(longs), dispatchedLong, $"length {length}");
            Assert.AreEqual(Kernels.Sum(doubles), dispatchedDouble, 1e-9, $"length {length}");
        }
    }
}
