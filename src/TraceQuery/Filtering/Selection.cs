using System.Numerics;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering;

/// <summary>
/// A set of event indices, the result of a filter: a bitmap (one bit per event, 64 per <c>ulong</c> word), or, for
/// few matches, the sorted list of their indices (a filter that matches one event of ten million then costs neither a
/// 1.25 MB bitmap nor a pass over one; <see cref="Words"/> builds the bitmap on first use). Both forms answer every
/// member identically. Immutable and thread-safe; set operations return new selections. Indices are the trace's global
/// event indices, so iteration order is trace order (thread by thread, each thread by time).
/// </summary>
public sealed class Selection
{
    private readonly int[]? _indices; // the sparse form: ascending, distinct, each below Length
    private ulong[]? _words;
    private int _count = -1;

    internal Selection(ulong[] words, int length)
    {
        _words = words;
        Length = length;
    }

    /// <summary>A sparse selection of <paramref name="sortedIndices"/> (ascending, distinct, each in [0, length)); kept, not copied.</summary>
    internal Selection(int length, int[] sortedIndices)
    {
        _indices = sortedIndices;
        _count = sortedIndices.Length;
        Length = length;
    }

    /// <summary>Number of events the selection ranges over (the trace's event count).</summary>
    public int Length { get; }

    /// <summary>The bitmap words; bits past <see cref="Length"/> are always zero. A sparse selection builds them on first use.</summary>
    public ReadOnlySpan<ulong> Words => _words ?? Materialize();

    /// <summary>Whether this selection holds a sorted index list rather than a bitmap (tests and benchmarks look).</summary>
    internal bool IsSparse => _indices is not null;

    /// <summary>Number of selected events (population count, computed once). O(n/64), O(1) when sparse.</summary>
    public int Count
    {
        get
        {
            if (_count < 0)
                _count = PopCount(_words!);
            return _count;
        }
    }

    /// <summary>A selection of every event.</summary>
    public static Selection All(int length)
    {
        var words = new ulong[WordCount(length)];
        words.AsSpan().Fill(ulong.MaxValue);
        ClearTail(words, length);
        return new Selection(words, length);
    }

    /// <summary>A selection of no event.</summary>
    public static Selection None(int length) => new(length, []);

    /// <summary>A selection of the given event indices.</summary>
    public static Selection FromIndices(int length, IEnumerable<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var words = new ulong[WordCount(length)];
        foreach (int i in indices)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(i);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(i, length);
            words[i >> 6] |= 1UL << i;
        }
        return new Selection(words, length);
    }

    /// <summary>True when event <paramref name="index"/> is selected.</summary>
    public bool Contains(int index)
    {
        if ((uint)index >= (uint)Length)
            return false;
        if (_words is { } words)
            return (words[index >> 6] & (1UL << index)) != 0;
        return _indices.AsSpan().BinarySearch(index) >= 0;
    }

    /// <summary>Events selected in both.</summary>
    public Selection Intersect(Selection other)
    {
        CheckSameLength(other);
        if (_indices is not null)
            return Filter(this, other, keep: true);
        if (other._indices is not null)
            return Filter(other, this, keep: true);
        return Combine(other, BitmapKernels.And);
    }

    /// <summary>Events selected in either.</summary>
    public Selection Union(Selection other)
    {
        CheckSameLength(other);
        return Combine(other, BitmapKernels.Or);
    }

    /// <summary>Events selected here but not in <paramref name="other"/>.</summary>
    public Selection Except(Selection other)
    {
        CheckSameLength(other);
        if (_indices is not null)
            return Filter(this, other, keep: false);
        return Combine(other, BitmapKernels.AndNot);
    }

    /// <summary>Events not selected here.</summary>
    public Selection Complement()
    {
        var source = Words;
        var words = new ulong[source.Length];
        BitmapKernels.Not(source, words);
        ClearTail(words, Length);
        return new Selection(words, Length);
    }

    /// <summary>Selected indices in ascending order. O(n/64 + selected), O(selected) when sparse.</summary>
    public IEnumerable<int> Indices()
    {
        if (_indices is { } indices)
        {
            foreach (int i in indices)
                yield return i;
            yield break;
        }
        var words = _words!;
        for (int w = 0; w < words.Length; w++)
        {
            ulong word = words[w];
            while (word != 0)
            {
                yield return (w << 6) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
            }
        }
    }

    /// <summary>
    /// Copies up to <paramref name="destination"/>.Length selected indices at or after <paramref name="start"/>
    /// into <paramref name="destination"/>; returns how many were written. The next page starts after the last one
    /// written, so paging with it visits every selected index exactly once.
    /// </summary>
    public int CopyIndices(int start, Span<int> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        int written = 0;
        if (start >= Length || destination.IsEmpty)
            return 0;
        if (_indices is { } indices)
        {
            var rest = indices.AsSpan(LowerBound(indices, start));
            rest = rest[..Math.Min(rest.Length, destination.Length)];
            rest.CopyTo(destination);
            return rest.Length;
        }
        var words = _words!;
        int w = start >> 6;
        ulong word = words[w] & (ulong.MaxValue << start);
        while (true)
        {
            while (word != 0)
            {
                destination[written++] = (w << 6) + BitOperations.TrailingZeroCount(word);
                if (written == destination.Length)
                    return written;
                word &= word - 1;
            }
            if (++w >= words.Length)
                return written;
            word = words[w];
        }
    }

    /// <summary>One page of selected indices from <paramref name="start"/> on, and where the next page starts (null when done).</summary>
    public (int[] Indices, int? NextStart) GetPage(int start, int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        var buffer = new int[maxCount];
        int n = CopyIndices(start, buffer);
        if (n < maxCount)
            return (buffer[..n], null);
        int next = buffer[^1] + 1;
        return (buffer, HasAnyFrom(next) ? next : null);
    }

    private bool HasAnyFrom(int start)
    {
        if (start >= Length)
            return false;
        if (_indices is { } indices)
            return LowerBound(indices, start) < indices.Length;
        var words = _words!;
        int w = start >> 6;
        if ((words[w] & (ulong.MaxValue << start)) != 0)
            return true;
        return words.AsSpan(w + 1).ContainsAnyExcept(0UL);
    }

    /// <summary>The bitmap of a sparse selection, built once (racing callers build equal arrays; one is kept).</summary>
    private ulong[] Materialize()
    {
        var words = new ulong[WordCount(Length)];
        foreach (int i in _indices!)
            words[i >> 6] |= 1UL << i;
        return Interlocked.CompareExchange(ref _words, words, null) ?? words;
    }

    /// <summary>The indices of sparse <paramref name="sparse"/> that <paramref name="other"/> holds (keep) or does not hold; stays sparse.</summary>
    private static Selection Filter(Selection sparse, Selection other, bool keep)
    {
        var indices = sparse._indices!;
        var kept = new List<int>(Math.Min(indices.Length, keep ? other.Count : indices.Length));
        foreach (int i in indices)
        {
            if (other.Contains(i) == keep)
                kept.Add(i);
        }
        return new Selection(sparse.Length, [.. kept]);
    }

    private void CheckSameLength(Selection other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Length != Length)
            throw new ArgumentException($"Selections range over different traces ({Length} vs {other.Length} events).", nameof(other));
    }

    private Selection Combine(Selection other, Action<ReadOnlySpan<ulong>, ReadOnlySpan<ulong>, Span<ulong>> op)
    {
        var mine = Words;
        var words = new ulong[mine.Length];
        op(mine, other.Words, words);
        return new Selection(words, Length);
    }

    /// <summary>The first position of <paramref name="sorted"/> whose value is at least <paramref name="value"/>.</summary>
    private static int LowerBound(int[] sorted, int value)
    {
        int at = sorted.AsSpan().BinarySearch(value);
        return at >= 0 ? at : ~at;
    }

    internal static int WordCount(int length) => (length + 63) >> 6;

    internal static void ClearTail(Span<ulong> words, int length)
    {
        int rest = length & 63;
        if (rest != 0 && words.Length > 0)
            words[^1] &= (1UL << rest) - 1;
    }

    private static int PopCount(ReadOnlySpan<ulong> words)
    {
        long count = 0;
        foreach (ulong w in words)
            count += BitOperations.PopCount(w);
        return (int)count;
    }
}
