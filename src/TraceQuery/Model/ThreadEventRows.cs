using Microsoft.Win32.SafeHandles;

namespace TraceQuery.Model;

/// <summary>
/// One thread's events in ATF's 32-byte row layout, as a source hands them to <see cref="TraceColumnBuilder"/>: a
/// managed array, memory the source has mapped (valid while the source keeps it mapped), a range of an open file that
/// the column pass reads block by block with read calls (valid while the source keeps the handle open), or a span-fed
/// thread's planned events (<see cref="Internals.PlannedEvents"/>), which the column pass writes without making rows.
/// </summary>
internal readonly unsafe struct ThreadEventRows
{
    private readonly TraceEvent[]? _array;
    private readonly TraceEvent* _pointer;
    private readonly SafeFileHandle? _file;
    private readonly long _fileOffset;

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

    /// <summary>Rows stored in <paramref name="file"/> from byte <paramref name="offset"/> on, read with read calls.</summary>
    public ThreadEventRows(SafeFileHandle file, long offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _file = file;
        _fileOffset = offset;
        Length = length;
    }

    public int Length { get; }

    /// <summary>True when the rows are in a file, not in memory (<see cref="Span"/> is not available; use <see cref="Read"/>).</summary>
    public bool InFile => _file is not null;

    /// <summary>The rows in memory; throws for rows in a file and for planned events.</summary>
    public ReadOnlySpan<TraceEvent> Span => Planned is not null
        ? throw new InvalidOperationException("Planned events have no rows.")
        : _array is not null ? _array.AsSpan(0, Length)
        : _file is null ? new ReadOnlySpan<TraceEvent>(_pointer, Length)
        : throw new InvalidOperationException("These rows are in a file; read them with Read.");

    /// <summary>Copies rows <c>[start, start + destination.Length)</c> into <paramref name="destination"/> (any representation).</summary>
    /// <exception cref="EndOfStreamException">The file is shorter than the rows it was said to hold (cut while being read).</exception>
    public void Read(int start, Span<TraceEvent> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + destination.Length, Length);
        if (Planned is { } planned)
        {
            for (int i = 0; i < destination.Length; i++)
                destination[i] = planned.At(start + i);
            return;
        }
        if (_file is null)
        {
            Span.Slice(start, destination.Length).CopyTo(destination);
            return;
        }
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(destination);
        long offset = _fileOffset + ((long)start * TraceEvent.Size);
        int done = 0;
        while (done < bytes.Length)
        {
            int n = RandomAccess.Read(_file, bytes[done..], offset + done);
            if (n <= 0)
                throw new EndOfStreamException($"The file ended {bytes.Length - done} bytes before the events it was opened with (it was cut while being read).");
            done += n;
        }
    }

    /// <summary>Event <paramref name="index"/> (any representation).</summary>
    public TraceEvent At(int index)
    {
        if (Planned is { } planned)
            return planned.At(index);
        if (_file is null)
            return Span[index];
        Span<TraceEvent> one = stackalloc TraceEvent[1];
        Read(index, one);
        return one[0];
    }

    /// <summary>Row <paramref name="position"/> (any representation).</summary>
    public TraceEvent this[int position] => At(position);
}
