namespace TraceQuery.Model.Internals;

/// <summary>
/// A sparse side table keyed by event index: sorted keys and their values, so a lookup is a binary search and a
/// filter walks only the events that have an entry. Immutable once built.
/// </summary>
internal sealed class EventSideTable<T>
{
    private readonly int[] _keys;
    private readonly T[] _values;

    public static EventSideTable<T> Empty { get; } = new([], []);

    private EventSideTable(int[] keys, T[] values)
    {
        _keys = keys;
        _values = values;
    }

    /// <summary>Builds the table from unsorted entries; a key given twice keeps the first value.</summary>
    public static EventSideTable<T> Create(List<(int Key, T Value)> entries)
    {
        if (entries.Count == 0)
            return Empty;
        var sorted = entries.ToArray();
        // Stable by key: ties keep insertion order, so "first wins" below is deterministic. The key (an event index,
        // never negative) and the insertion position make one 64-bit sort key, so a primitive sort does it, and
        // entries already in order (the common case) are not sorted at all.
        var order = new long[sorted.Length];
        bool inOrder = true;
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = ((long)sorted[i].Key << 32) | (uint)i;
            inOrder &= i == 0 || order[i - 1] < order[i];
        }
        if (!inOrder)
            Array.Sort(order);
        var keys = new List<int>(sorted.Length);
        var values = new List<T>(sorted.Length);
        foreach (long packed in order)
        {
            int i = (int)(uint)packed;
            if (keys.Count > 0 && keys[^1] == sorted[i].Key)
                continue;
            keys.Add(sorted[i].Key);
            values.Add(sorted[i].Value);
        }
        return new EventSideTable<T>([.. keys], [.. values]);
    }

    public int Count => _keys.Length;

    /// <summary>The event indices that have an entry, ascending.</summary>
    public ReadOnlySpan<int> Keys => _keys;

    /// <summary>The value at position <paramref name="ordinal"/> of <see cref="Keys"/>.</summary>
    public T ValueAt(int ordinal) => _values[ordinal];

    public bool TryGet(int eventIndex, out T value)
    {
        int at = Array.BinarySearch(_keys, eventIndex);
        if (at < 0)
        {
            value = default!;
            return false;
        }
        value = _values[at];
        return true;
    }
}
