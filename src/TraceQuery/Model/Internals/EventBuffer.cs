namespace TraceQuery.Model.Internals;

/// <summary>
/// One raw-fed thread's events as <see cref="TraceBuilder"/> collects them: an array grown by half again when full
/// (not doubled) and handed to the column pass as it is, with its count (no copy to an exact-size array).
/// </summary>
internal sealed class EventBuffer
{
    private TraceEvent[] _items = [];

    public int Count { get; private set; }

    /// <summary>The events added, for the column pass.</summary>
    public ThreadEventRows Rows => new(_items, Count);

    public void Add(in TraceEvent item)
    {
        if (Count == _items.Length)
            Grow();
        _items[Count++] = item;
    }

    private void Grow()
    {
        if (_items.Length == Array.MaxLength)
            throw new InvalidOperationException($"At most {Array.MaxLength:N0} events can be added to one thread.");
        int size = (int)Math.Min(Array.MaxLength, Math.Max(16, _items.Length + ((long)_items.Length >> 1)));
        Array.Resize(ref _items, size);
    }
}
