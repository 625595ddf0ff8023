using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace TraceQuery.Vectorized.Internals;

/// <summary>
/// Exact order statistics of a large <c>long</c> array without reordering it: one pass counts the values into
/// log-linear buckets of their offset from the minimum (64 sub-buckets per power of two, so a bucket spans at
/// most 1/32 of its values' magnitude), the buckets holding the wanted ranks are found from the counts, a
/// second pass gathers only the values of those buckets, and a selection over that small set gives the exact
/// values. Durations are heavy-tailed and spread out, so the gathered set is a few percent of the input; in the
/// worst case (all values in one bucket) it is the input, and the cost is that of a plain selection. Values
/// spanning fewer than 65,536 distinct offsets skip the buckets: one counter per value answers every rank directly.
/// </summary>
internal static class BucketedQuantile
{
    /// <summary>Inputs from this length on take the bucketed path; below it selection in place is cheaper.</summary>
    public const int Threshold = 1 << 14;

    /// <summary>Value ranges narrower than this are counted per value instead of per bucket.</summary>
    public const int CountingRange = 1 << 16;

    private const int SubBucketBits = 6;
    public const int BucketCount = ((64 - SubBucketBits) << (SubBucketBits - 1)) + (1 << SubBucketBits);

    /// <summary>
    /// Bucket of an offset: the offset itself below 64, else 32·(e − 5) + (u &gt;&gt; (e − 5)) for e = ⌊log2 u⌋.
    /// Monotone in u, so every value of a lower bucket is smaller than every value of a higher one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int BucketOf(ulong offset)
    {
        if (offset < 1UL << SubBucketBits)
            return (int)offset;
        int shift = BitOperations.Log2(offset) - SubBucketBits + 1;
        return (shift << (SubBucketBits - 1)) + (int)(offset >> shift);
    }

    /// <summary>
    /// Writes the values of <paramref name="values"/> at the ascending, distinct sorted positions
    /// <paramref name="ranks"/> (as a full sort would place them) to <paramref name="destination"/>. Returns false,
    /// having written nothing, when the wanted buckets hold more than half the values: then a selection in place
    /// is cheaper than gathering them.
    /// </summary>
    public static bool TryOrderStatistics(ReadOnlySpan<long> values, ReadOnlySpan<int> ranks, Span<long> destination)
    {
        var (min, max) = Kernels.MinMax(values);
        if (min == max)
        {
            destination[..ranks.Length].Fill(min);
            return true;
        }
        if (unchecked((ulong)max - (ulong)min) < CountingRange)
        {
            OrderStatisticsByCounting(values, min, (int)(max - min) + 1, ranks, destination);
            return true;
        }

        int[] counts = ArrayPool<int>.Shared.Rent(BucketCount + 1);
        byte[] wanted = ArrayPool<byte>.Shared.Rent(BucketCount);
        try
        {
            Array.Clear(counts, 0, BucketCount + 1);
            Array.Clear(wanted, 0, BucketCount);
            Count(values, min, counts);

            // counts[b] becomes the number of values in buckets below b (an exclusive prefix sum).
            int running = 0;
            for (int b = 0; b <= BucketCount; b++)
                (counts[b], running) = (running, running + counts[b]);

            int gathered = 0;
            Span<int> rankBuckets = ranks.Length <= 64 ? stackalloc int[ranks.Length] : new int[ranks.Length];
            int bucket = 0;
            for (int i = 0; i < ranks.Length; i++)
            {
                while (counts[bucket + 1] <= ranks[i])
                    bucket++;
                rankBuckets[i] = bucket;
                if (wanted[bucket] == 0)
                {
                    wanted[bucket] = 1;
                    gathered += counts[bucket + 1] - counts[bucket];
                }
            }

            if (gathered > values.Length / 2)
                return false;
            long[] candidates = ArrayPool<long>.Shared.Rent(gathered);
            try
            {
                int found = Gather(values, min, wanted, candidates);
                var set = candidates.AsSpan(0, found);

                // The gathered values, sorted, are the wanted buckets one after the other; a rank's place among
                // them is its place in its bucket plus the sizes of the wanted buckets below it. Distinct ascending
                // ranks give distinct ascending places.
                Span<int> local = ranks.Length <= 64 ? stackalloc int[ranks.Length] : new int[ranks.Length];
                int below = 0, previousBucket = -1;
                for (int i = 0; i < ranks.Length; i++)
                {
                    int b = rankBuckets[i];
                    if (b != previousBucket)
                    {
                        if (previousBucket >= 0)
                            below += counts[previousBucket + 1] - counts[previousBucket];
                        previousBucket = b;
                    }
                    local[i] = below + ranks[i] - counts[b];
                }
                KthSelector.SelectMany(set, local);
                for (int i = 0; i < ranks.Length; i++)
                    destination[i] = set[local[i]];
                return true;
            }
            finally
            {
                ArrayPool<long>.Shared.Return(candidates);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
            ArrayPool<byte>.Shared.Return(wanted);
        }
    }

    /// <summary>
    /// Values spanning fewer than <see cref="CountingRange"/> distinct offsets are counted one counter per value, so
    /// every rank is read off the counts and nothing is gathered (short calls measured in nanoseconds often span
    /// only a few hundred values).
    /// </summary>
    private static void OrderStatisticsByCounting(ReadOnlySpan<long> values, long min, int range, ReadOnlySpan<int> ranks, Span<long> destination)
    {
        int[] counts = ArrayPool<int>.Shared.Rent(range);
        try
        {
            Array.Clear(counts, 0, range);
            foreach (long value in values)
                counts[(int)(value - min)]++;
            int below = 0, offset = 0;
            for (int i = 0; i < ranks.Length; i++)
            {
                while (below + counts[offset] <= ranks[i])
                    below += counts[offset++];
                destination[i] = min + offset;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    private static void Count(ReadOnlySpan<long> values, long min, int[] counts)
    {
        // Two interleaved histograms halve the store-to-load stalls when neighbours share a bucket.
        int[] second = ArrayPool<int>.Shared.Rent(BucketCount);
        Array.Clear(second, 0, BucketCount);
        ulong origin = unchecked((ulong)min);
        int i = 0;
        for (; i + 1 < values.Length; i += 2)
        {
            counts[BucketOf(unchecked((ulong)values[i] - origin))]++;
            second[BucketOf(unchecked((ulong)values[i + 1] - origin))]++;
        }
        if (i < values.Length)
            counts[BucketOf(unchecked((ulong)values[i] - origin))]++;
        for (int b = 0; b < BucketCount; b++)
            counts[b] += second[b];
        ArrayPool<int>.Shared.Return(second);
    }

    private static int Gather(ReadOnlySpan<long> values, long min, byte[] wanted, long[] destination)
    {
        ulong origin = unchecked((ulong)min);
        int found = 0;
        foreach (long value in values)
        {
            if (wanted[BucketOf(unchecked((ulong)value - origin))] != 0)
                destination[found++] = value;
        }
        return found;
    }
}
