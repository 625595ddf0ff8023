using TraceQuery.Vectorized;
using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Tests.Vectorized;

[TestClass]
public sealed class SelectKthTests
{
    [TestMethod]
    public void SelectKth_RandomLongsEveryLength_ThenEqualsSortedElementAndPartitions()
    {
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths().Where(n => n >= 1))
        {
            long[] original = length % 2 == 0 ? KernelTestData.Longs(random, length) : KernelTestData.LongsWithDuplicates(random, length);
            long[] sorted = original.Order().ToArray();
            foreach (int k in Ranks(random, length))
            {
                long[] values = (long[])original.Clone();
                long actual = Kernels.SelectKth(values, k);
                Assert.AreEqual(sorted[k], actual, $"length {length}, k {k}");
                AssertPartitioned(values, k, sorted, $"length {length}, k {k}");
            }
        }
    }

    [TestMethod]
    public void SelectKth_AdversarialPatterns_ThenEqualsSortedElement()
    {
        var random = new Random(KernelTestData.Seed);
        foreach (int length in new[] { 601, 1000, 4099, 10_007 })
        {
            foreach ((string name, long[] original) in Patterns(length, random))
            {
                long[] sorted = original.Order().ToArray();
                foreach (int k in new[] { 0, 1, length / 3, length / 2, length - 2, length - 1 })
                {
                    long[] values = (long[])original.Clone();
                    Assert.AreEqual(sorted[k], Kernels.SelectKth(values, k), $"{name}, length {length}, k {k}");
                    AssertPartitioned(values, k, sorted, $"{name}, length {length}, k {k}");
                }
            }
        }
    }

    [TestMethod]
    public void SelectKth_MedianOfMediansFallback_ThenEqualsSortedElement()
    {
        var random = new Random(KernelTestData.Seed);
        foreach (int length in new[] { 17, 18, 20, 21, 33, 99, 600, 601, 1000, 10_007 })
        {
            foreach ((string name, long[] original) in Patterns(length, random))
            {
                long[] sorted = original.Order().ToArray();
                foreach (int k in Ranks(random, length))
                {
                    long[] values = (long[])original.Clone();
                    KthSelector.SelectRange(values.AsSpan(), 0, length - 1, k, budget: 0);
                    Assert.AreEqual(sorted[k], values[k], $"{name}, length {length}, k {k}");
                    AssertPartitioned(values, k, sorted, $"{name}, length {length}, k {k}");
                }
            }
        }
    }

    [TestMethod]
    public void SelectKth_SpecialLongs_ThenExtremesOrderCorrectly()
    {
        var random = new Random(KernelTestData.Seed);
        foreach (long[] original in KernelTestData.SpecialMixes(KernelTestData.SpecialLongs, random))
        {
            long[] sorted = original.Order().ToArray();
            for (int k = 0; k < original.Length; k++)
                Assert.AreEqual(sorted[k], Kernels.SelectKth((long[])original.Clone(), k), $"k {k} of [{string.Join(", ", original)}]");
        }
    }

    [TestMethod]
    public void SelectKth_RandomDoublesWithNaNEveryLength_ThenNaNSortsLast()
    {
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths().Where(n => n >= 1))
        {
            double[] original = KernelTestData.Doubles(random, length);
            for (int i = 0; i < length; i++)
            {
                if (random.Next(10) == 0)
                    original[i] = KernelTestData.SpecialDoubles[random.Next(KernelTestData.SpecialDoubles.Length)];
            }

            double[] sorted = SortNaNLast(original);
            foreach (int k in Ranks(random, length))
            {
                double[] values = (double[])original.Clone();
                double actual = Kernels.SelectKth(values, k);
                AssertSameIgnoringZeroSign(sorted[k], actual, $"length {length}, k {k}");
                AssertSameIgnoringZeroSign(sorted[k], values[k], $"length {length}, k {k}: values[k]");
                CollectionAssert.AreEqual(sorted.Select(Canonical).ToArray(), SortNaNLast(values).Select(Canonical).ToArray(), "not a permutation");
            }
        }
    }

    [TestMethod]
    public void SelectKth_DoubleSpecials_ThenNaNLastAndZerosEqual()
    {
        double[] values = [double.NaN, 3, double.NegativeInfinity, -0.0, double.NaN, 0.0, double.PositiveInfinity, double.Epsilon];
        Assert.AreEqual(double.NegativeInfinity, Kernels.SelectKth((double[])values.Clone(), 0));
        Assert.AreEqual(0.0, Kernels.SelectKth((double[])values.Clone(), 1)); // -0.0 or 0.0: they rank equal
        Assert.AreEqual(0.0, Kernels.SelectKth((double[])values.Clone(), 2));
        Assert.AreEqual(double.Epsilon, Kernels.SelectKth((double[])values.Clone(), 3));
        Assert.AreEqual(3.0, Kernels.SelectKth((double[])values.Clone(), 4));
        Assert.AreEqual(double.PositiveInfinity, Kernels.SelectKth((double[])values.Clone(), 5));
        Assert.IsTrue(double.IsNaN(Kernels.SelectKth((double[])values.Clone(), 6)));
        double[] reordered = (double[])values.Clone();
        Assert.IsTrue(double.IsNaN(Kernels.SelectKth(reordered, 7)));
        Assert.IsTrue(double.IsNaN(reordered[6]) && double.IsNaN(reordered[7]), "NaNs moved to the end");
        Assert.IsTrue(double.IsNaN(Kernels.SelectKth([double.NaN], 0)));
    }

    [TestMethod]
    public void SelectKth_RankOutOfRange_ThenArgumentOutOfRangeException()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Kernels.SelectKth(new long[3], 3));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Kernels.SelectKth(new long[3], -1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Kernels.SelectKth(Span<long>.Empty, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Kernels.SelectKth(new double[2], 2));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => Kernels.SelectKth(Span<double>.Empty, 0));
    }

    private static IEnumerable<int> Ranks(Random random, int length) =>
        new[] { 0, length / 2, length - 1, random.Next(length), random.Next(length) }.Distinct();

    private static IEnumerable<(string Name, long[] Values)> Patterns(int length, Random random)
    {
        yield return ("random", KernelTestData.Longs(random, length));
        yield return ("duplicates", KernelTestData.LongsWithDuplicates(random, length));
        yield return ("ascending", Enumerable.Range(0, length).Select(i => (long)i).ToArray());
        yield return ("descending", Enumerable.Range(0, length).Select(i => (long)(length - i)).ToArray());
        yield return ("all equal", Enumerable.Repeat(7L, length).ToArray());
        yield return ("organ pipe", Enumerable.Range(0, length).Select(i => (long)Math.Min(i, length - i)).ToArray());
        yield return ("sawtooth", Enumerable.Range(0, length).Select(i => (long)(i % 17)).ToArray());
        yield return ("two values", Enumerable.Range(0, length).Select(i => i % 2 == 0 ? long.MinValue : long.MaxValue).ToArray());
    }

    private static void AssertPartitioned(long[] values, int k, long[] sorted, string message)
    {
        for (int i = 0; i < k; i++)
        {
            if (values[i] > values[k])
                Assert.Fail($"{message}: index {i} before k holds {values[i]} > {values[k]}");
        }

        for (int i = k + 1; i < values.Length; i++)
        {
            if (values[i] < values[k])
                Assert.Fail($"{message}: index {i} after k holds {values[i]} < {values[k]}");
        }

        long[] permutation = (long[])values.Clone();
        Array.Sort(permutation);
        CollectionAssert.AreEqual(sorted, permutation, $"{message}: not a permutation");
    }

    private static double[] SortNaNLast(double[] values) =>
        values.Where(v => !double.IsNaN(v)).Order().Concat(values.Where(double.IsNaN)).ToArray();

    private static double Canonical(double value) => value == 0 ? 0.0 : value;

    private static void AssertSameIgnoringZeroSign(double expected, double actual, string message) =>
        KernelTestData.AssertSame(Canonical(expected), Canonical(actual), message);
}
