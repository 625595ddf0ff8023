using System.Diagnostics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>
/// DuckDB's <c>quantile_cont</c> on integers, by selection: position RN = (n − 1)·p, lo and hi the values at
/// floor(RN) and ceil(RN) converted to <see cref="double"/>, result lo·(1 − d) + hi·d with d = RN − floor(RN)
/// (DuckDB's <c>CastInterpolation::Interpolate&lt;double&gt;</c>). Only floor ranks are selected; the ceiling
/// rank is the minimum of the elements between its floor and the next selected rank.
/// </summary>
internal static class ContinuousQuantile
{
    /// <summary>The quantile for one fraction; reorders <paramref name="values"/>.</summary>
    public static double Of(Span<long> values, double p)
    {
        if (values.Length >= BucketedQuantile.Threshold)
        {
            Span<double> result = stackalloc double[1];
            Span<int> rankBuffer = stackalloc int[1];
            Of(values, [p], [0], result, rankBuffer);
            return result[0];
        }
        double position = (double)(values.Length - 1) * p;
        int floor = (int)Math.Floor(position);
        KthSelector.Select(values, floor);
        long hi = (int)Math.Ceiling(position) == floor ? values[floor] : Kernels.Min(values[(floor + 1)..]);
        return Interpolate(values[floor], hi, position, floor);
    }

    /// <summary>
    /// The quantiles for fractions sorted ascending; results[order[i]] receives the quantile of
    /// sortedPs[i]. <paramref name="rankBuffer"/> needs room for one rank per fraction.
    /// </summary>
    public static void Of(Span<long> values, ReadOnlySpan<double> sortedPs, ReadOnlySpan<int> order, Span<double> results, Span<int> rankBuffer)
    {
        int n = values.Length;
        if (n >= BucketedQuantile.Threshold && TryOfLarge(values, sortedPs, order, results))
            return;
        int count = 0;
        foreach (double p in sortedPs)
        {
            int floor = (int)Math.Floor((double)(n - 1) * p);
            if (count == 0 || rankBuffer[count - 1] != floor)
                rankBuffer[count++] = floor;
        }

        ReadOnlySpan<int> ranks = rankBuffer[..count];
        KthSelector.SelectMany(values, ranks);

        int next = 0; // ranks[next] is the floor of the current fraction
        int hiFloor = -1;
        long hi = 0;
        for (int i = 0; i < sortedPs.Length; i++)
        {
            double position = (double)(n - 1) * sortedPs[i];
            int floor = (int)Math.Floor(position);
            while (ranks[next] != floor)
                next++;
            if ((int)Math.Ceiling(position) == floor)
            {
                results[order[i]] = values[floor];
                continue;
            }

            if (hiFloor != floor)
            {
                // Elements between this rank and the next selected one are exactly the ranks in between.
                int bound = next + 1 < ranks.Length ? ranks[next + 1] : n;
                hi = bound == floor + 1 ? values[floor + 1] : Kernels.Min(values[(floor + 1)..bound]);
                hiFloor = floor;
            }

            results[order[i]] = Interpolate(values[floor], hi, position, floor);
        }
    }

    /// <summary>
    /// The bucketed path for large inputs: the floor and ceiling rank of every fraction, found without
    /// reordering <paramref name="values"/>, then interpolated exactly as the selection path does. False when
    /// the values are too concentrated for buckets to narrow them down (the caller then selects in place).
    /// </summary>
    private static bool TryOfLarge(ReadOnlySpan<long> values, ReadOnlySpan<double> sortedPs, ReadOnlySpan<int> order, Span<double> results)
    {
        int n = values.Length;
        int capacity = 2 * sortedPs.Length;
        int[]? rentedRanks = null;
        long[]? rentedValues = null;
        Span<int> ranks = capacity <= 64 ? stackalloc int[capacity] : (rentedRanks = System.Buffers.ArrayPool<int>.Shared.Rent(capacity));
        Span<long> statistics = capacity <= 64 ? stackalloc long[capacity] : (rentedValues = System.Buffers.ArrayPool<long>.Shared.Rent(capacity));
        int count = 0;
        foreach (double p in sortedPs)
        {
            double position = (double)(n - 1) * p;
            int floor = (int)Math.Floor(position), ceiling = (int)Math.Ceiling(position);
            // Fractions are sorted, so floors never decrease; keep the ranks ascending and distinct.
            if (count == 0 || ranks[count - 1] < floor)
                ranks[count++] = floor;
            if (ranks[count - 1] < ceiling)
                ranks[count++] = ceiling;
        }
        ranks = ranks[..count];
        bool found = BucketedQuantile.TryOrderStatistics(values, ranks, statistics);
        for (int i = 0; found && i < sortedPs.Length; i++)
        {
            double position = (double)(n - 1) * sortedPs[i];
            int floor = (int)Math.Floor(position), ceiling = (int)Math.Ceiling(position);
            long lo = statistics[ranks.BinarySearch(floor)];
            long hi = ceiling == floor ? lo : statistics[ranks.BinarySearch(ceiling)];
            results[order[i]] = Interpolate(lo, hi, position, floor);
        }
        if (rentedRanks is not null)
            System.Buffers.ArrayPool<int>.Shared.Return(rentedRanks);
        if (rentedValues is not null)
            System.Buffers.ArrayPool<long>.Shared.Return(rentedValues);
        return found;
    }

    public static double Interpolate(long lo, long hi, double position, int floor)
    {
        Debug.Assert(lo <= hi);
        if (position == floor)
            return lo;
        double d = position - floor;
        return ((double)lo * (1.0 - d)) + ((double)hi * d);
    }
}
