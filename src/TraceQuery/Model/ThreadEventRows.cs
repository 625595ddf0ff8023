using Microsoft.Win32.SafeHandles;

namespace TraceQuery.Model;

/// <summary>
/// One thread's events in ATF's 32-byte row layout, as a source hands them to <see cref="TraceColumnBuilder"/>: a
/// managed array, memory the source has mapped (valid while the source keeps it mapped), or a range of an open file
/// that the column pass reads block by block with read calls (valid while the source keeps the handle open).
/// </summary>
internal readonly unsafe struct ThreadEventRows
{
    private readonly TraceEvent[]? _array;
    private readonly TraceEvent* _pointer;
    private readonly SafeFileHandle? _file;
    private readonly long _fileOffset;

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

    /// <summary>The rows in memory; throws for rows in a file.</summary>
    public ReadOnlySpan<TraceEvent> Span => _array is not null ? _array
        : _file is null ? new ReadOnlySpan<TraceEvent>(_pointer, Length)
        : throw new InvalidOperationException("These rows are in a file; read them with Read.");

    /// <summary>Copies rows <c>[start, start + destination.Length)</c> into <paramref name="destination"/>.</summary>
    /// <exception cref="EndOfStreamException">The file is shorter than the rows it was said to hold (cut while being read).</exception>
    public void Read(int start, Span<TraceEvent> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((long)start + destination.Length, Length);
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

    /// <summary>Row <paramref name="position"/>.</summary>
    public TraceEvent this[int position]
    {
        get
        {
            if (_file is null)
                return Span[position];
            Span<TraceEvent> one = stackalloc TraceEvent[1];
            Read(position, one);
            return one[0];
        }
    }
}
