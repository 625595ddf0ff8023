namespace TraceQuery.Tests.Vectorized;

/// <summary>Seeded inputs and exact comparisons shared by the kernel tests.</summary>
internal static class KernelTestData
{
    /// <summary>
    /// Every length 0–300 (all vector widths, unrolled bodies and tails) plus a sample up to 1000, including the
    /// lengths around powers of two.
    /// </summary>
    public static IEnumerable<int> Lengths()
    {
        for (int length = 0; length <= 300; length++)
            yield return length;
        for (int length = 307; length < 1000; length += 29)
            yield return length;
        foreach (int length in new[] { 511, 512, 513, 1000 })
            yield return length;
    }

    public const int Seed = 20250611;

    public static double[] Doubles(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++)
            values[i] = (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4));
        return values;
    }

    public static float[] Floats(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-3, 4)));
        return values;
    }

    /// <summary>Durations-like values with some negatives and occasional huge ones.</summary>
    public static long[] Longs(Random random, int length)
    {
        var values = new long[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.Next(10) switch
            {
                0 => random.NextInt64(long.MinValue, long.MaxValue),
                1 => -random.NextInt64(1_000_000),
                _ => random.NextInt64(1_000_000_000),
            };
        }

        return values;
    }

    /// <summary>Few distinct values, so selections meet long runs of duplicates.</summary>
    public static long[] LongsWithDuplicates(Random random, int length)
    {
        var values = new long[length];
        for (int i = 0; i < length; i++)
            values[i] = random.Next(8) * 1000L;
        return values;
    }

    public static double[] SpecialDoubles { get; } =
        [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.Epsilon, -double.Epsilon,
         double.MaxValue, double.MinValue, 1.0, -1.0];

    public static float[] SpecialFloats { get; } =
        [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0.0f, 0.0f, float.Epsilon, -float.Epsilon,
         float.MaxValue, float.MinValue, 1.0f, -1.0f];

    public static long[] SpecialLongs { get; } = [long.MinValue, long.MaxValue, long.MinValue + 1, long.MaxValue - 1, -1, 0, 1, 2, 3];

    /// <summary>Inputs made only of special values, at every length up to 80 (into the tails of every width).</summary>
    public static IEnumerable<T[]> SpecialMixes<T>(T[] specials, Random random)
    {
        for (int length = 1; length <= 80; length++)
        {
            var values = new T[length];
            for (int i = 0; i < length; i++)
                values[i] = specials[random.Next(specials.Length)];
            yield return values;
        }
    }

    /// <summary>Element by element <see cref="AssertSame(double, double, string)"/>; formats a message only on failure.</summary>
    public static void AssertAllSame(double[] expected, double[] actual, string context)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]) || (double.IsNaN(expected[i]) && double.IsNaN(actual[i]))))
                AssertSame(expected[i], actual[i], $"{context}, index {i}");
        }
    }

    /// <summary>Element by element <see cref="AssertSame(float, float, string)"/>; formats a message only on failure.</summary>
    public static void AssertAllSame(float[] expected, float[] actual, string context)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (!(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]) || (float.IsNaN(expected[i]) && float.IsNaN(actual[i]))))
                AssertSame(expected[i], actual[i], $"{context}, index {i}");
        }
    }

    /// <summary>Equal as IEEE bit patterns, except that any NaN equals any NaN (−0.0 and +0.0 differ).</summary>
    public static void AssertSame(double expected, double actual, string message)
    {
        if (double.IsNaN(expected) && double.IsNaN(actual))
            return;
        Assert.AreEqual(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual), $"{message}: expected {expected:R}, got {actual:R}");
    }

    /// <summary>Equal as IEEE bit patterns, except that any NaN equals any NaN (−0.0 and +0.0 differ).</summary>
    public static void AssertSame(float expected, float actual, string message)
    {
        if (float.IsNaN(expected) && float.IsNaN(actual))
            return;
        Assert.AreEqual(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(actual), $"{message}: expected {expected:R}, got {actual:R}");
    }
}
