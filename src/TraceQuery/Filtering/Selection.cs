using System.Numerics;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering;

/// <summary>
/// A set of event indices as a bitmap (one bit per event, 64 per <c>ulong</c> word), the result of a filter.
/// Immutable; set operations return new selections. Indices are the trace's global event indices, so
/// iteration order is trace order (thread by thread, each thread by time).
/// </summary>
public sealed class Selection
{
    private readonly ulong[] _words;
    private int _count = -1;

    internal Selection(ulong[] words, int length)
    {
        _words = words;
        Length = length;
    }

    /// <summary>Number of events the selection ranges over (the trace's event count).</summary>
    public int Length { get; }

    /// <summary>The bitmap words; bits past <see cref="Length"/> are always zero.</summary>
    public ReadOnlySpan<ulong> Words => _words;

    /// <summary>Number of selected events (population count, computed once). O(n/64).</summary>
    public int Count
    {
        get
        {
            if (_count < 0)
                _count = PopCount(_words);
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
    public static Selection None(int length) => new(new ulong[WordCount(length)], length);

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
    public bool Contains(int index) =>
        (uint)index < (uint)Length && (_words[index >> 6] & (1UL << index)) != 0;

    /// <summary>Events selected in both.</summary>
    public Selection Intersect(Selection other) => Combine(other, BitmapKernels.And);

    /// <summary>Events selected in either.</summary>
    public Selection Union(Selection other) => Combine(other, BitmapKernels.Or);

    /// <summary>Events selected here but not in <paramref name="other"/>.</summary>
    public Selection Except(Selection other) => Combine(other, BitmapKernels.AndNot);

    /// <summary>Events not selected here.</summary>
    public Selection Complement()
    {
        var words = new ulong[_words.Length];
        BitmapKernels.Not(_words, words);
        ClearTail(words, Length);
        return new Selection(words, Length);
    }

    /// <summary>Selected indices in ascending order. O(n/64 + selected).</summary>
    public IEnumerable<int> Indices()
    {
        for (int w = 0; w < _words.Length; w++)
        {
            ulong word = _words[w];
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
        int w = start >> 6;
        ulong word = _words[w] & (ulong.MaxValue << start);
        while (true)
        {
            while (word != 0)
            {
                destination[written++] = (w << 6) + BitOperations.TrailingZeroCount(word);
                if (written == destination.Length)
                    return written;
                word &= word - 1;
            }
            if (++w >= _words.Length)
                return written;
            word = _words[w];
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
        int w = start >> 6;
        if ((_words[w] & (ulong.MaxValue << start)) != 0)
            return true;
        return _words.AsSpan(w + 1).ContainsAnyExcept(0UL);
    }

    private Selection Combine(Selection other, Action<ReadOnlySpan<ulong>, ReadOnlySpan<ulong>, Span<ulong>> op)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Length != Length)
            throw new ArgumentException($"Selections range over different traces ({Length} vs {other.Length} events).", nameof(other));
        var words = new ulong[_words.Length];
        op(_words, other._words, words);
        return new Selection(words, Length);
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
