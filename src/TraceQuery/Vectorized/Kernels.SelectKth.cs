using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Vectorized;

public static partial class Kernels
{
    /// <summary>
    /// The k-th smallest element (k = 0 is the minimum), found by partially reordering
    /// <paramref name="values"/> in place: afterwards values[k] holds it, nothing before it is greater and
    /// nothing after it is smaller. Floyd–Rivest selection with a median-of-medians fallback: O(n) expected
    /// and worst case, no allocation.
    /// </summary>
    public static long SelectKth(Span<long> values, int k)
    {
        ThrowIfRankOutOfRange(k, values.Length);
        KthSelector.Select(values, k);
        return values[k];
    }

    /// <summary>
    /// The k-th smallest element with NaN sorting last (so k past the non-NaN count gives NaN); −0.0 and +0.0
    /// rank as equal. Reorders <paramref name="values"/> in place like <see cref="SelectKth(Span{long}, int)"/>,
    /// moving NaNs to the end. O(n) expected and worst case, no allocation.
    /// </summary>
    public static double SelectKth(Span<double> values, int k)
    {
        ThrowIfRankOutOfRange(k, values.Length);
        int ordered = MoveNaNsToEnd(values);
        if (k >= ordered)
            return double.NaN;
        KthSelector.Select(values[..ordered], k);
        return values[k];
    }

    // Stable for the non-NaN elements; returns how many there are.
    private static int MoveNaNsToEnd(Span<double> values)
    {
        int write = 0;
        for (int read = 0; read < values.Length; read++)
        {
            double value = values[read];
            if (double.IsNaN(value))
                continue;
            if (read != write)
            {
                values[read] = values[write];
                values[write] = value;
            }

            write++;
        }

        return write;
    }
}
