using TraceQuery.Vectorized;

namespace TraceQuery.Tests.Vectorized;

[TestClass]
public sealed class CountGreaterThanTests
{
    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void CountGreaterThan_RandomEveryLength_ThenEqualsLoopCount(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths())
        {
            double[] x = KernelTestData.Doubles(random, length);
            double threshold = length == 0 ? 0 : x[random.Next(length)];
            Assert.AreEqual(x.Count(v => v > threshold), Kernels.CountGreaterThan(x, threshold), $"double, length {length}");

            float[] f = KernelTestData.Floats(random, length);
            float fThreshold = (float)(random.NextDouble() - 0.5);
            Assert.AreEqual(f.Count(v => v > fThreshold), Kernels.CountGreaterThan(f, fThreshold), $"float, length {length}");

            long[] l = KernelTestData.Longs(random, length);
            long lThreshold = length == 0 ? 0 : l[random.Next(length)];
            Assert.AreEqual(l.Count(v => v > lThreshold), Kernels.CountGreaterThan(l, lThreshold), $"long, length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void CountGreaterThan_TailLanes_ThenCountedExactlyOnce(string path)
    {
        using var scope = KernelPaths.Enter(path);
        for (int length = 0; length <= 70; length++)
        {
            var ones = Enumerable.Repeat(1.0f, length).ToArray();
            Assert.AreEqual(length, Kernels.CountGreaterThan(ones, 0f), $"length {length}");
            var longs = Enumerable.Repeat(1L, length).ToArray();
            Assert.AreEqual(length, Kernels.CountGreaterThan(longs, 0L), $"length {length}");
            Assert.AreEqual(0, Kernels.CountGreaterThan(longs, 1L), $"length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void CountGreaterThan_SpecialValues_ThenNaNNeverCounts(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (double threshold in KernelTestData.SpecialDoubles)
        {
            foreach (double[] x in KernelTestData.SpecialMixes(KernelTestData.SpecialDoubles, random))
                Assert.AreEqual(x.Count(v => v > threshold), Kernels.CountGreaterThan(x, threshold), $"> {threshold} in [{string.Join(", ", x)}]");
        }

        foreach (float threshold in KernelTestData.SpecialFloats)
        {
            foreach (float[] x in KernelTestData.SpecialMixes(KernelTestData.SpecialFloats, random))
                Assert.AreEqual(x.Count(v => v > threshold), Kernels.CountGreaterThan(x, threshold), $"> {threshold} in [{string.Join(", ", x)}]");
        }

        foreach (long threshold in KernelTestData.SpecialLongs)
        {
            foreach (long[] x in KernelTestData.SpecialMixes(KernelTestData.SpecialLongs, random))
                Assert.AreEqual(x.Count(v => v > threshold), Kernels.CountGreaterThan(x, threshold), $"> {threshold} in [{string.Join(", ", x)}]");
        }

        double[] nans = Enumerable.Repeat(double.NaN, 37).ToArray();
        Assert.AreEqual(0, Kernels.CountGreaterThan(nans, double.NegativeInfinity));
        Assert.AreEqual(0, Kernels.CountGreaterThan([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], double.NaN));
        Assert.AreEqual(0, Kernels.CountGreaterThan([-0.0, 0.0, -0.0, 0.0, -0.0], 0.0));
        Assert.AreEqual(2, Kernels.CountGreaterThan([float.Epsilon, 0f, float.Epsilon, 0f, 0f, 0f, 0f, 0f, -0f], 0f));
    }
}
