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

    private static double Interpolate(long lo, long hi, double position, int floor)
    {
        Debug.Assert(lo <= hi);
        if (position == floor)
            return lo;
        double d = position - floor;
        return ((double)lo * (1.0 - d)) + ((double)hi * d);
    }
}
