namespace TraceQuery.Model.Internals;

/// <summary>Which of consecutive index ranges (a trace's threads, a thread's spans) holds a position.</summary>
internal static class RangeSearch
{
    /// <summary>
    /// The range <c>r</c> with <c>boundaries[r] &lt;= position &lt; boundaries[r + 1]</c>: <paramref name="boundaries"/>
    /// holds one start per range then the end of the last, ascending; empty ranges (equal neighbours) are never
    /// the answer. <paramref name="position"/> must lie in <c>[boundaries[0], boundaries[^1])</c>. O(log ranges).
    /// </summary>
    public static int Find(ReadOnlySpan<int> boundaries, int position)
    {
        // The last start at or before the position: an empty range shares its start with the next one.
        int lo = 0, hi = boundaries.Length - 2;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (boundaries[mid] <= position)
                lo = mid;
            else
                hi = mid - 1;
        }
        return lo;
    }
}
