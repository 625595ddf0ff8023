using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TraceQuery.Vectorized.Internals;

/// <summary>
/// Exact k-th smallest element by partial reordering (like C++ <c>nth_element</c>). Floyd–Rivest sampling picks
/// pivots close to rank k (median of three under 600 elements) and a branch-free partition splits around them;
/// copies of the pivot are gathered when they matter, so duplicates stay linear. Rounds that keep more than 7/8
/// of the range are counted, and after <see cref="BadRoundBudget"/> of them median-of-medians pivots take over,
/// so the worst case is linear too. Elements must be totally ordered by <c>&lt;</c> (no NaN).
/// </summary>
internal static class KthSelector
{
    private const int InsertionSortLength = 16;
    private const int SampleLength = 600;

    /// <summary>How many rounds may keep more than 7/8 of their range before median-of-medians takes over.</summary>
    public const int BadRoundBudget = 8;

    /// <summary>
    /// Reorders <paramref name="values"/> so that values[k] holds what a sort would put there, with nothing
    /// greater before it and nothing smaller after it. About 1.5 n element visits for the median, fewer for
    /// ranks near either end.
    /// </summary>
    public static void Select<T>(Span<T> values, int k)
        where T : INumber<T> =>
        SelectRange(values, 0, values.Length - 1, k, BadRoundBudget);

    /// <summary>
    /// Places every rank of <paramref name="ranks"/> (sorted ascending, distinct) where a sort would put it, so
    /// the elements between two placed ranks are exactly the ranks between them. Each round selects the rank
    /// nearest the middle of the range and recurses on both sides: O(n log m) for m ranks, and skewed sets such
    /// as p50/p95/p99 cost about 1.5 n.
    /// </summary>
    public static void SelectMany<T>(Span<T> values, ReadOnlySpan<int> ranks)
        where T : INumber<T> =>
        SelectMany(values, 0, values.Length - 1, ranks);

    private static void SelectMany<T>(Span<T> values, int left, int right, ReadOnlySpan<int> ranks)
        where T : INumber<T>
    {
        while (!ranks.IsEmpty)
        {
            int center = left + ((right - left) >> 1);
            int middle = ranks.BinarySearch(center);
            if (middle < 0)
            {
                middle = ~middle; // first rank above the center
                if (middle == ranks.Length || (middle > 0 && center - ranks[middle - 1] < ranks[middle] - center))
                    middle--;
            }

            int rank = ranks[middle];
            SelectRange(values, left, right, rank, BadRoundBudget);
            SelectMany(values, left, rank - 1, ranks[..middle]);
            left = rank + 1;
            ranks = ranks[(middle + 1)..];
        }
    }

    /// <summary>
    /// <see cref="Select{T}"/> on values[left..right] (inclusive), where <paramref name="budget"/> is the number of
    /// bad rounds still allowed; with 0 every round uses a median-of-medians pivot (tests use this to cover the
    /// fallback).
    /// </summary>
    public static void SelectRange<T>(Span<T> values, int left, int right, int k, int budget)
        where T : INumber<T>
    {
        while (right - left >= InsertionSortLength)
        {
            if (budget <= 0)
            {
                MoveMedianOfMediansTo(values, left, right, k);
                int j = PartitionAround(values, left, right, k);
                if (j <= k)
                    left = j + 1;
                if (k <= j)
                    right = j - 1;
                continue;
            }

            int n = right - left + 1;
            if (n > SampleLength)
                MoveSampledPivotTo(values, left, right, k, n, budget);
            else
                MoveMedianOfThreeTo(values, left, right, k);

            T pivot = values[k];
            int split = PartitionBelow(values, left, right, pivot, out int equal);
            if (k < split)
            {
                right = split - 1;
                if (right - left + 1 > n - (n / 8))
                    budget--;
                continue;
            }

            // The pivot's copies sit somewhere in [split, right]: gather them when k is among them, when there
            // are many (runs of duplicates), or when nothing was below the pivot (else no progress).
            if (k < split + equal || split == left || equal > (right - split + 1) / 16)
            {
                int above = split + equal;
                PartitionEqualFirst(values, split, right, pivot);
                if (k < above)
                    return;
                left = above;
            }
            else
            {
                left = split;
            }

            if (right - left + 1 > n - (n / 8))
                budget--;
        }

        if (right > left)
            InsertionSort(values.Slice(left, right - left + 1));
    }

    // Floyd & Rivest (1975), SELECT: select rank k within a sample of size s ≈ n^(2/3)/2 placed around the expected
    // position of k, so a[k] becomes a pivot that splits the range just beside k. The original takes the window
    // as it stands, assuming random order; trace data is often sorted or periodic, so elements spread over the
    // whole range are swapped into the window first.
    private static void MoveSampledPivotTo<T>(Span<T> values, int left, int right, int k, int n, int budget)
        where T : INumber<T>
    {
        int i = k - left + 1;
        double z = Math.Log(n);
        double s = 0.5 * Math.Exp(2 * z / 3);
        double sd = 0.5 * Math.Sqrt(z * s * (n - s) / n) * Math.Sign(i - (n / 2.0));
        int sampleLeft = Math.Min(k, Math.Max(left, (int)(k - (i * s / n) + sd)));
        int sampleRight = Math.Max(k, Math.Min(right, (int)(k + ((n - i) * s / n) + sd)));
        int sampleLength = sampleRight - sampleLeft + 1;
        int stride = n / sampleLength;
        for (int j = 0; j < sampleLength; j++)
            Swap(values, sampleLeft + j, left + (j * stride));
        SelectRange(values, sampleLeft, sampleRight, k, budget);
    }

    private static void MoveMedianOfThreeTo<T>(Span<T> values, int left, int right, int k)
        where T : INumber<T>
    {
        int mid = left + ((right - left) >> 1);
        if (values[mid] < values[left])
            Swap(values, left, mid);
        if (values[right] < values[mid])
        {
            Swap(values, mid, right);
            if (values[mid] < values[left])
                Swap(values, left, mid);
        }

        Swap(values, mid, k);
    }

    // Medians of groups of five gathered at the front, their median selected recursively (also by medians of
    // medians): at least 3/10 of the range is on each side of it, which bounds the rounds to a linear total.
    private static void MoveMedianOfMediansTo<T>(Span<T> values, int left, int right, int k)
        where T : INumber<T>
    {
        int groups = (right - left + 1) / 5;
        for (int g = 0; g < groups; g++)
        {
            int start = left + (5 * g);
            InsertionSort(values.Slice(start, 5));
            Swap(values, left + g, start + 2);
        }

        int median = left + ((groups - 1) / 2);
        SelectRange(values, left, left + groups - 1, median, budget: 0);
        Swap(values, median, k);
    }

    // Branch-free Lomuto: every element is swapped with the first not-below slot and the slot advances by the
    // comparison result, so random data costs no mispredictions. Afterwards [left, split) < pivot <= [split, right];
    // equal counts the elements equal to the pivot.
    private static int PartitionBelow<T>(Span<T> values, int left, int right, T pivot, out int equal)
        where T : INumber<T>
    {
        ref T origin = ref MemoryMarshal.GetReference(values);
        int first = left;
        int equalCount = 0;
        for (int i = left; i <= right; i++)
        {
            T value = Unsafe.Add(ref origin, i);
            Unsafe.Add(ref origin, i) = Unsafe.Add(ref origin, first);
            Unsafe.Add(ref origin, first) = value;
            first += Unsafe.BitCast<bool, byte>(value < pivot);
            equalCount += Unsafe.BitCast<bool, byte>(value == pivot);
        }

        equal = equalCount;
        return first;
    }

    // The same over a range with nothing below the pivot: its copies move to the front.
    private static void PartitionEqualFirst<T>(Span<T> values, int left, int right, T pivot)
        where T : INumber<T>
    {
        ref T origin = ref MemoryMarshal.GetReference(values);
        int first = left;
        for (int i = left; i <= right; i++)
        {
            T value = Unsafe.Add(ref origin, i);
            Unsafe.Add(ref origin, i) = Unsafe.Add(ref origin, first);
            Unsafe.Add(ref origin, first) = value;
            first += Unsafe.BitCast<bool, byte>(value == pivot);
        }
    }

    // Floyd–Rivest partition around t = a[k]: afterwards a[j] == t, a[left..j-1] <= t, a[j+1..right] >= t.
    // Equal elements stop both scans, so runs of duplicates split evenly instead of degrading.
    private static int PartitionAround<T>(Span<T> values, int left, int right, int k)
        where T : INumber<T>
    {
        T t = values[k];
        int i = left;
        int j = right;
        Swap(values, left, k);
        if (values[right] > t)
            Swap(values, right, left);

        while (i < j)
        {
            Swap(values, i, j);
            i++;
            j--;
            while (values[i] < t)
                i++;
            while (values[j] > t)
                j--;
        }

        if (values[left] == t)
        {
            Swap(values, left, j);
        }
        else
        {
            j++;
            Swap(values, j, right);
        }

        return j;
    }

    private static void InsertionSort<T>(Span<T> values)
        where T : INumber<T>
    {
        for (int i = 1; i < values.Length; i++)
        {
            T value = values[i];
            int j = i - 1;
            while (j >= 0 && values[j] > value)
            {
                values[j + 1] = values[j];
                j--;
            }

            values[j + 1] = value;
        }
    }

    private static void Swap<T>(Span<T> values, int a, int b) => (values[a], values[b]) = (values[b], values[a]);
}
