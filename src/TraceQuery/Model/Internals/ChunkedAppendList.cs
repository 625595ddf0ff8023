namespace TraceQuery.Model.Internals;

/// <summary>
/// An append-only list kept in fixed segments of <see cref="SegmentSize"/> items, so growing never copies what is
/// already held and never holds twice what it needs (a <see cref="List{T}"/> doubles, and its copy at the end costs
/// as much again). The first segment grows like a list up to the segment size, so a small builder stays small.
/// </summary>
internal sealed class ChunkedAppendList<T>
{
    private const int Shift = 12;

    /// <summary>Items per full segment.</summary>
    public const int SegmentSize = 1 << Shift;

    private const int Mask = SegmentSize - 1;
    private T[][] _segments = [];

    /// <summary>Items added.</summary>
    public int Count { get; private set; }

    /// <summary>The item at <paramref name="index"/> (not checked against <see cref="Count"/> beyond the segment's bounds).</summary>
    public ref T this[int index] => ref _segments[index >> Shift][index & Mask];

    /// <summary>Appends an item.</summary>
    public void Add(in T item)
    {
        int segment = Count >> Shift, at = Count & Mask;
        if (segment == _segments.Length)
            Array.Resize(ref _segments, Math.Max(4, _segments.Length * 2));
        ref var items = ref _segments[segment];
        if (items is null)
            items = new T[segment == 0 ? 16 : SegmentSize];
        else if (at == items.Length)
            Array.Resize(ref items, Math.Min(SegmentSize, items.Length * 2));
        items[at] = item;
        Count++;
    }
}
