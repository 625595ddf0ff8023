using TraceQuery.Vectorized;

namespace TraceQuery.Tests.Vectorized;

[TestClass]
public sealed class MinMaxTests
{
    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void MinMax_RandomDoublesEveryLength_ThenEqualMathMinMaxFold(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths().Where(n => n >= 1))
        {
            double[] x = KernelTestData.Doubles(random, length);
            (double min, double max) = ReferenceMinMax(x);
            KernelTestData.AssertSame(min, Kernels.Min(x), $"min, length {length}");
            KernelTestData.AssertSame(max, Kernels.Max(x), $"max, length {length}");
            (double pairMin, double pairMax) = Kernels.MinMax(x);
            KernelTestData.AssertSame(min, pairMin, $"MinMax.Min, length {length}");
            KernelTestData.AssertSame(max, pairMax, $"MinMax.Max, length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void MinMax_RandomFloatsEveryLength_ThenEqualMathMinMaxFold(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths().Where(n => n >= 1))
        {
            float[] x = KernelTestData.Floats(random, length);
            (float min, float max) = ReferenceMinMax(x);
            KernelTestData.AssertSame(min, Kernels.Min(x), $"min, length {length}");
            KernelTestData.AssertSame(max, Kernels.Max(x), $"max, length {length}");
            (float pairMin, float pairMax) = Kernels.MinMax(x);
            KernelTestData.AssertSame(min, pairMin, $"MinMax.Min, length {length}");
            KernelTestData.AssertSame(max, pairMax, $"MinMax.Max, length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void MinMax_RandomLongsEveryLength_ThenEqualLinqMinMax(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths().Where(n => n >= 1))
        {
            long[] x = KernelTestData.Longs(random, length);
            Assert.AreEqual(x.Min(), Kernels.Min(x), $"min, length {length}");
            Assert.AreEqual(x.Max(), Kernels.Max(x), $"max, length {length}");
            Assert.AreEqual((x.Min(), x.Max()), Kernels.MinMax(x), $"MinMax, length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void MinMax_NaNAtAnyPosition_ThenNaN(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        for (int length = 1; length <= 70; length++)
        {
            for (int position = 0; position < length; position++)
            {
                double[] x = KernelTestData.Doubles(random, length);
                x[position] = double.NaN;
                float[] f = KernelTestData.Floats(random, length);
                f[position] = float.NaN;
                string at = $"length {length}, NaN at {position}";
                Assert.IsTrue(double.IsNaN(Kernels.Min(x)), at);
                Assert.IsTrue(double.IsNaN(Kernels.Max(x)), at);
                (double min, double max) = Kernels.MinMax(x);
                Assert.IsTrue(double.IsNaN(min) && double.IsNaN(max), at);
                Assert.IsTrue(float.IsNaN(Kernels.Min(f)), at);
                Assert.IsTrue(float.IsNaN(Kernels.Max(f)), at);
                (float fMin, float fMax) = Kernels.MinMax(f);
                Assert.IsTrue(float.IsNaN(fMin) && float.IsNaN(fMax), at);
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void MinMax_SignedZeros_ThenMinPrefersNegativeAndMaxPositive(string path)
    {
        using var scope = KernelPaths.Enter(path);
        for (int length = 1; length <= 70; length++)
        {
            for (int position = 0; position < length; position++)
            {
                var x = new double[length];
                x[position] = -0.0;
                string at = $"length {length}, -0.0 at {position}";
                KernelTestData.AssertSame(-0.0, Kernels.Min(x), at);
                KernelTestData.AssertSame(length == 1 ? -0.0 : 0.0, Kernels.Max(x), at);
                KernelTestData.AssertSame(-0.0, Kernels.MinMax(x).Min, at);

                var f = new float[length];
                Array.Fill(f, -0.0f);
                f[position] = 0.0f;
                KernelTestData.AssertSame(0.0f, Kernels.Max(f), at);
                KernelTestData.AssertSame(length == 1 ? 0.0f : -0.0f, Kernels.Min(f), at);
                KernelTestData.AssertSame(0.0f, Kernels.MinMax(f).Max, at);
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void MinMax_SpecialValueMixes_ThenEqualMathMinMaxFold(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (double[] x in KernelTestData.SpecialMixes(KernelTestData.SpecialDoubles, random))
        {
            (double min, double max) = ReferenceMinMax(x);
            string input = $"[{string.Join(", ", x)}]";
            KernelTestData.AssertSame(min, Kernels.Min(x), input);
            KernelTestData.AssertSame(max, Kernels.Max(x), input);
            KernelTestData.AssertSame(min, Kernels.MinMax(x).Min, input);
            KernelTestData.AssertSame(max, Kernels.MinMax(x).Max, input);
        }

        foreach (float[] x in KernelTestData.SpecialMixes(KernelTestData.SpecialFloats, random))
        {
            (float min, float max) = ReferenceMinMax(x);
            string input = $"[{string.Join(", ", x)}]";
            KernelTestData.AssertSame(min, Kernels.Min(x), input);
            KernelTestData.AssertSame(max, Kernels.Max(x), input);
            KernelTestData.AssertSame(min, Kernels.MinMax(x).Min, input);
            KernelTestData.AssertSame(max, Kernels.MinMax(x).Max, input);
        }

        foreach (long[] x in KernelTestData.SpecialMixes(KernelTestData.SpecialLongs, random))
            Assert.AreEqual((x.Min(), x.Max()), Kernels.MinMax(x), $"[{string.Join(", ", x)}]");
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void MinMax_AllInfinite_ThenInfinityNotIdentityLeak(string path)
    {
        using var scope = KernelPaths.Enter(path);
        for (int length = 1; length <= 40; length++)
        {
            var up = Enumerable.Repeat(double.PositiveInfinity, length).ToArray();
            var down = Enumerable.Repeat(float.NegativeInfinity, length).ToArray();
            Assert.AreEqual(double.PositiveInfinity, Kernels.Min(up));
            Assert.AreEqual(float.NegativeInfinity, Kernels.Max(down));
            var longs = Enumerable.Repeat(long.MaxValue, length).ToArray();
            Assert.AreEqual((long.MaxValue, long.MaxValue), Kernels.MinMax(longs));
        }
    }

    [TestMethod]
    public void MinMax_Empty_ThenArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Min(ReadOnlySpan<double>.Empty));
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Max(ReadOnlySpan<float>.Empty));
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Min(ReadOnlySpan<long>.Empty));
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Max(ReadOnlySpan<long>.Empty));
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.MinMax(ReadOnlySpan<double>.Empty));
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.MinMax(ReadOnlySpan<float>.Empty));
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.MinMax(ReadOnlySpan<long>.Empty));
    }

    [TestMethod]
    public void MinMax_VectorAndScalarPaths_ThenAgreeBitForBit()
    {
        var random = new Random(KernelTestData.Seed);
        foreach (double[] x in KernelTestData.SpecialMixes(KernelTestData.SpecialDoubles, random))
        {
            (double min, double max) dispatched = Kernels.MinMax(x);
            using var scope = KernelPaths.Enter(KernelPaths.Scalar);
            (double min, double max) scalar = Kernels.MinMax(x);
            KernelTestData.AssertSame(scalar.min, dispatched.min, "min");
            KernelTestData.AssertSame(scalar.max, dispatched.max, "max");
        }
    }

    private static (double Min, double Max) ReferenceMinMax(double[] x)
    {
        double min = x[0], max = x[0];
        foreach (double v in x)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return (min, max);
    }

    private static (float Min, float Max) ReferenceMinMax(float[] x)
    {
        float min = x[0], max = x[0];
        foreach (float v in x)
        {
            min = MathF.Min(min, v);
            max = MathF.Max(max, v);
        }

        return (min, max);
    }
}
