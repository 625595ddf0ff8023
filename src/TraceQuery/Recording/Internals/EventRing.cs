namespace TraceQuery.Recording.Internals;

/// <summary>
/// A preallocated, lock-free flight-recorder ring of <see cref="RecordedEvent"/>s: writers claim a sequence
/// number with one <see cref="Interlocked.Increment(ref long)"/> and overwrite the oldest slot, so the ring
/// always holds the newest <see cref="Capacity"/> events. No allocation after construction.
/// </summary>
/// <remarks>
/// Each slot carries a stamp: <c>s + 1</c> once sequence <c>s</c> is committed, <c>-(s + 1)</c> while its
/// writer fills it. A writer takes the slot with a compare-exchange from a committed, older stamp; if the
/// slot is held by a writer that was lapped (preempted while the ring went round) or already holds a newer
/// event, the write is dropped rather than waited for. A reader copies a slot between two reads of its
/// stamp and keeps the copy only when both show the sequence it wants (a seqlock), so it never sees a
/// half-written event.
/// </remarks>
internal sealed class EventRing
{
    private struct Slot
    {
        public long Stamp;
        public RecordedEvent Event;
    }

    private readonly Slot[] _slots;
    private readonly long _mask;
    private long _next;

    /// <summary>Creates a ring of <paramref name="capacity"/> slots (a power of two).</summary>
    public EventRing(int capacity)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The capacity must be a power of two.");
        _slots = new Slot[capacity];
        _mask = capacity - 1;
    }

    /// <summary>How many events the ring keeps.</summary>
    public int Capacity => _slots.Length;

    /// <summary>How many events were written (claimed a sequence number) so far; the next sequence number.</summary>
    public long Written => Volatile.Read(ref _next);

    /// <summary>Writes <paramref name="value"/> as the newest event. Lock-free; drops it only when its slot is contended.</summary>
    public void Write(in RecordedEvent value)
    {
        long sequence = Interlocked.Increment(ref _next) - 1;
        ref var slot = ref _slots[sequence & _mask];
        long stamp = Volatile.Read(ref slot.Stamp);
        if (stamp < 0 || stamp > sequence || Interlocked.CompareExchange(ref slot.Stamp, -(sequence + 1), stamp) != stamp)
            return; // held by a lapped writer, or a newer event is already there: this one is dropped
        slot.Event = value;
        Volatile.Write(ref slot.Stamp, sequence + 1);
    }

    /// <summary>Copies the event with sequence number <paramref name="sequence"/>; false when it was overwritten, is being written, or was dropped.</summary>
    public bool TryRead(long sequence, out RecordedEvent value)
    {
        ref var slot = ref _slots[sequence & _mask];
        long expected = sequence + 1;
        if (Volatile.Read(ref slot.Stamp) != expected)
        {
            value = default;
            return false;
        }
        value = slot.Event;
        Interlocked.MemoryBarrier();
        return Volatile.Read(ref slot.Stamp) == expected;
    }
}
