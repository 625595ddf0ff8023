using TraceQuery.Vectorized;

namespace TraceQuery.Tests.Vectorized;

[TestClass]
public sealed class ScaleTests
{
    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Scale_Doubling_ThenEveryElementDoubled(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var destination = new double[3];
        Kernels.Scale([1.0, 2.0, 3.0], 2.0, destination);
        CollectionAssert.AreEqual(new[] { 2.0, 4.0, 6.0 }, destination);
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Scale_RandomEveryLengthOutOfPlace_ThenEqualsElementwiseProductAndLeavesRestAlone(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths())
        {
            double[] x = KernelTestData.Doubles(random, length);
            double factor = random.NextDouble() * 10 - 5;
            var destination = new double[length + 3];
            Array.Fill(destination, 42.0);
            Kernels.Scale(x, factor, destination);
            KernelTestData.AssertAllSame(x.Select(v => v * factor).ToArray(), destination[..length], $"double, length {length}");
            Assert.IsTrue(destination.AsSpan(length).ToArray().All(v => v == 42.0), $"double, length {length}: wrote past x.Length");

            float[] f = KernelTestData.Floats(random, length);
            float fFactor = (float)factor;
            var fDestination = new float[length];
            Kernels.Scale(f, fFactor, fDestination);
            KernelTestData.AssertAllSame(f.Select(v => v * fFactor).ToArray(), fDestination, $"float, length {length}");

            long[] l = KernelTestData.Longs(random, length);
            long lFactor = random.NextInt64(-1000, 1000);
            var lDestination = new long[length];
            Kernels.Scale(l, lFactor, lDestination);
            CollectionAssert.AreEqual(l.Select(v => unchecked(v * lFactor)).ToArray(), lDestination, $"long, length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Scale_RandomEveryLengthInPlace_ThenEachElementScaledExactlyOnce(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths())
        {
            double[] x = KernelTestData.Doubles(random, length);
            double[] expected = x.Select(v => v * 3.0).ToArray();
            Kernels.Scale(x, 3.0, x);
            KernelTestData.AssertAllSame(expected, x, $"double, length {length}");

            float[] f = KernelTestData.Floats(random, length);
            float[] fExpected = f.Select(v => v * -0.5f).ToArray();
            Kernels.Scale(f, -0.5f, f);
            KernelTestData.AssertAllSame(fExpected, f, $"float, length {length}");

            long[] l = KernelTestData.Longs(random, length);
            long[] lExpected = l.Select(v => unchecked(v * 7)).ToArray();
            Kernels.Scale(l, 7, l);
            CollectionAssert.AreEqual(lExpected, l, $"long, length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Scale_SpecialValues_ThenIeeeProductsAndWrappingLongs(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (double factor in KernelTestData.SpecialDoubles)
        {
            foreach (double[] x in KernelTestData.SpecialMixes(KernelTestData.SpecialDoubles, random))
            {
                var destination = new double[x.Length];
                Kernels.Scale(x, factor, destination);
                KernelTestData.AssertAllSame(x.Select(v => v * factor).ToArray(), destination, $"factor {factor}, [{string.Join(", ", x)}]");
            }
        }

        foreach (float[] x in KernelTestData.SpecialMixes(KernelTestData.SpecialFloats, random))
        {
            var destination = new float[x.Length];
            Kernels.Scale(x, -0.0f, destination);
            KernelTestData.AssertAllSame(x.Select(v => v * -0.0f).ToArray(), destination, $"factor -0.0, [{string.Join(", ", x)}]");
        }

        foreach (long factor in KernelTestData.SpecialLongs)
        {
            foreach (long[] x in KernelTestData.SpecialMixes(KernelTestData.SpecialLongs, random))
            {
                var destination = new long[x.Length];
                Kernels.Scale(x, factor, destination);
                CollectionAssert.AreEqual(x.Select(v => unchecked(v * factor)).ToArray(), destination, $"factor {factor}");
            }
        }
    }

    [TestMethod]
    public void Scale_DestinationTooShort_ThenArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Scale(new double[10], 2.0, new double[9]));
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Scale(new float[1], 2.0f, Span<float>.Empty));
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Scale(new long[100], 2, new long[99]));
    }

    [TestMethod]
    public void Scale_PartialOverlap_ThenArgumentException()
    {
        var buffer = new double[40];
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Scale(buffer.AsSpan(0, 20), 2.0, buffer.AsSpan(1, 20)));
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Scale(buffer.AsSpan(8, 20), 2.0, buffer.AsSpan(0, 20)));
        var longs = new long[40];
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Scale(longs.AsSpan(0, 20), 2, longs.AsSpan(19, 20)));
        var floats = new float[40];
        Assert.ThrowsExactly<ArgumentException>(() => Kernels.Scale(floats.AsSpan(4, 20), 2f, floats.AsSpan(0, 20)));
    }

    [TestMethod]
    public void Scale_SameStartLongerDestination_ThenInPlaceAndRestUntouched()
    {
        double[] buffer = Enumerable.Range(1, 30).Select(i => (double)i).ToArray();
        Kernels.Scale(buffer.AsSpan(0, 20), 2.0, buffer.AsSpan(0, 30));
        CollectionAssert.AreEqual(Enumerable.Range(1, 20).Select(i => 2.0 * i).Concat(Enumerable.Range(21, 10).Select(i => (double)i)).ToArray(), buffer);
    }

    [TestMethod]
    public void Scale_AdjacentButNotOverlapping_ThenAllowed()
    {
        double[] buffer = Enumerable.Range(1, 40).Select(i => (double)i).ToArray();
        Kernels.Scale(buffer.AsSpan(0, 20), 2.0, buffer.AsSpan(20, 20));
        CollectionAssert.AreEqual(Enumerable.Range(1, 20).Select(i => 2.0 * i).ToArray(), buffer[20..]);
    }
}
