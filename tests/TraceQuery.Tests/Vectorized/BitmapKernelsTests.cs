using System.Runtime.Intrinsics;
using TraceQuery.Vectorized;

namespace TraceQuery.Tests.Vectorized;

[TestClass]
public sealed class BitmapKernelsTests
{
    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void AndOrAndNot_RandomWordsEveryLength_ThenEqualWordByWordReference(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed);
        foreach (int length in KernelTestData.Lengths())
        {
            ulong[] a = Words(random, length), b = Words(random, length);
            var result = new ulong[length];
            BitmapKernels.And(a, b, result);
            CollectionAssert.AreEqual(a.Zip(b, (x, y) => x & y).ToArray(), result, $"and, length {length}");
            BitmapKernels.Or(a, b, result);
            CollectionAssert.AreEqual(a.Zip(b, (x, y) => x | y).ToArray(), result, $"or, length {length}");
            BitmapKernels.AndNot(a, b, result);
            CollectionAssert.AreEqual(a.Zip(b, (x, y) => x & ~y).ToArray(), result, $"and-not, length {length}");
            BitmapKernels.Not(a, result);
            CollectionAssert.AreEqual(a.Select(x => ~x).ToArray(), result, $"not, length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void AndNotAndNot_InPlaceOnEitherOperand_ThenSameAsSeparateDestination(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed + 1);
        foreach (int length in KernelTestData.Lengths())
        {
            ulong[] a = Words(random, length), b = Words(random, length);
            ulong[] expectedAndNot = a.Zip(b, (x, y) => x & ~y).ToArray();
            ulong[] expectedNot = a.Select(x => ~x).ToArray();

            ulong[] intoA = [.. a];
            BitmapKernels.AndNot(intoA, b, intoA);
            CollectionAssert.AreEqual(expectedAndNot, intoA, $"and-not into a, length {length}");
            ulong[] intoB = [.. b];
            BitmapKernels.AndNot(a, intoB, intoB);
            CollectionAssert.AreEqual(expectedAndNot, intoB, $"and-not into b, length {length}");
            ulong[] notInPlace = [.. a];
            BitmapKernels.Not(notInPlace, notInPlace);
            CollectionAssert.AreEqual(expectedNot, notInPlace, $"not in place, length {length}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void Scan_EveryColumnLengthAndFirstWord_ThenBitsEqualScalarTest(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed + 2);
        foreach (int length in KernelTestData.Lengths())
        {
            int[] column = [.. Enumerable.Range(0, length).Select(_ => random.Next(-50, 50))];
            var op = new LessThanOperator(random.Next(-60, 60));
            int words = (length + 63) / 64;
            for (int firstWord = 0; firstWord <= Math.Min(words, 2); firstWord++)
            {
                var destination = new ulong[words - firstWord];
                Array.Fill(destination, 0xDEAD_BEEF_DEAD_BEEFUL); // every word must be overwritten
                BitmapKernels.Scan<int, LessThanOperator>(column, firstWord, destination, op);
                for (int w = 0; w < destination.Length; w++)
                {
                    ulong expected = 0;
                    for (int j = 0; j < 64 && ((firstWord + w) << 6) + j < length; j++)
                        expected |= (op.Invoke(column[((firstWord + w) << 6) + j]) ? 1UL : 0) << j;
                    Assert.AreEqual(expected, destination[w], $"length {length}, first word {firstWord}, word {w}");
                }
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(KernelPaths.All), typeof(KernelPaths))]
    public void ScanAnd_EveryColumnLengthAndFirstWord_ThenEqualsScanThenAndAndSkipsZeroWords(string path)
    {
        using var scope = KernelPaths.Enter(path);
        var random = new Random(KernelTestData.Seed + 3);
        foreach (int length in KernelTestData.Lengths())
        {
            int[] column = [.. Enumerable.Range(0, length).Select(_ => random.Next(-50, 50))];
            var op = new LessThanOperator(random.Next(-60, 60));
            int words = (length + 63) / 64;
            for (int firstWord = 0; firstWord <= Math.Min(words, 2); firstWord++)
            {
                // Whole zero words, whole ones and random words: a zero word must stay zero, the others become word & test.
                var before = Enumerable.Range(0, words - firstWord)
                    .Select(w => (w % 3) switch { 0 => 0UL, 1 => ulong.MaxValue, _ => (ulong)random.NextInt64() })
                    .ToArray();
                var scanned = new ulong[before.Length];
                BitmapKernels.Scan<int, LessThanOperator>(column, firstWord, scanned, op);
                var narrowed = (ulong[])before.Clone();
                BitmapKernels.ScanAnd<int, LessThanOperator>(column, firstWord, narrowed, op);
                CollectionAssert.AreEqual(before.Zip(scanned, (a, b) => a & b).ToArray(), narrowed, $"length {length}, first word {firstWord}");
            }
        }
    }

    [TestMethod]
    public void SetRange_EveryRangeOfThreeWords_ThenExactlyThoseBitsSet()
    {
        for (int from = 0; from <= 192; from += 7)
        {
            for (int to = from; to <= 192; to += 5)
            {
                var words = new ulong[2]; // covers elements [64, 192): the range is clipped to it
                BitmapKernels.SetRange(words, firstWord: 1, from, to);
                for (int element = 64; element < 192; element++)
                {
                    bool set = (words[(element - 64) >> 6] & (1UL << element)) != 0;
                    Assert.AreEqual(element >= from && element < to, set, $"[{from}, {to}) element {element}");
                }
            }
        }
    }

    private static ulong[] Words(Random random, int length)
    {
        var words = new ulong[length];
        for (int i = 0; i < length; i++)
            words[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next(4) << 62);
        return words;
    }

    /// <summary>value &lt; threshold, a stateful operator as Filtering's column tests are.</summary>
    private readonly struct LessThanOperator(int threshold) : IBooleanUnaryOperator<int>
    {
        public bool Invoke(int value) => value < threshold;

        public Vector256<int> Invoke(Vector256<int> values) => Vector256.LessThan(values, Vector256.Create(threshold));
    }
}
