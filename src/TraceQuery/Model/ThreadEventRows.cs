namespace TraceQuery.Model;

/// <summary>
/// One thread's events in ATF's 32-byte row layout, as a source hands them to <see cref="TraceColumnBuilder"/>: a
/// managed array, memory the source has mapped (valid while the source keeps it mapped), or a span-fed thread's planned
/// events (<see cref="Internals.PlannedEvents"/>), which the column pass writes without making rows.
/// </summary>
internal readonly unsafe struct ThreadEventRows
{
    private readonly TraceEvent[]? _array;
    private readonly TraceEvent* _pointer;

    public ThreadEventRows(Internals.PlannedEvents planned)
    {
        Planned = planned;
        Length = planned.Length;
    }

    /// <summary>The planned events, when the thread came from spans; <see cref="Span"/> is then not available.</summary>
    public Internals.PlannedEvents? Planned { get; }

    public ThreadEventRows(TraceEvent[] array)
        : this(array, array.Length)
    {
    }

    /// <summary>The first <paramref name="length"/> events of <paramref name="array"/> (a buffer not filled to its end).</summary>
    public ThreadEventRows(TraceEvent[] array, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)array.Length, nameof(length));
        _array = array;
        Length = length;
    }

    public ThreadEventRows(TraceEvent* pointer, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _pointer = pointer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<TraceEvent> Span => Planned is not null
        ? throw new InvalidOperationException("Planned events have no rows.")
        : _array is not null ? _array.AsSpan(0, Length) : new ReadOnlySpan<TraceEvent>(_pointer, Length);

    /// <summary>Event <paramref name="index"/> (any representation).</summary>
    public TraceEvent At(int index) => Planned is { } planned ? planned.At(index) : Span[index];
}
