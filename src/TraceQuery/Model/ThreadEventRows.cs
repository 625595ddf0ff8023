namespace TraceQuery.Model;

/// <summary>
/// One thread's events in ATF's 32-byte row layout, as a source hands them to <see cref="TraceColumnBuilder"/>: a
/// managed array, or memory the source has mapped (valid while the source keeps it mapped).
/// </summary>
internal readonly unsafe struct ThreadEventRows
{
    private readonly TraceEvent[]? _array;
    private readonly TraceEvent* _pointer;

    public ThreadEventRows(TraceEvent[] array)
    {
        _array = array;
        Length = array.Length;
    }

    public ThreadEventRows(TraceEvent* pointer, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _pointer = pointer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<TraceEvent> Span => _array is not null ? _array : new ReadOnlySpan<TraceEvent>(_pointer, Length);
}
