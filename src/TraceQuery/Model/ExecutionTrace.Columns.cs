namespace TraceQuery.Model;

public sealed partial class ExecutionTrace
{
    private readonly long[] _timestamps;
    private readonly int[] _functionOrdinals;
    private readonly byte[] _kinds;
    private readonly uint[] _depths;
    private readonly uint[] _detailSeqs;
    private readonly ulong[] _functionIds;

    /// <summary>Timestamp of every event in nanoseconds; each thread's range is sorted ascending.</summary>
    public ReadOnlySpan<long> Timestamps => _timestamps.AsSpan(0, EventCount);

    /// <summary>Per event, an index into <see cref="FunctionIds"/> (dense, so name filters become lookups).</summary>
    public ReadOnlySpan<int> FunctionOrdinals => _functionOrdinals.AsSpan(0, EventCount);

    /// <summary>The distinct function ids of the trace, sorted ascending; position = ordinal.</summary>
    public ReadOnlySpan<ulong> FunctionIds => _functionIds;

    /// <summary>Per event, the <see cref="EventKind"/> as a byte (1 call, 2 return, 3 exception).</summary>
    public ReadOnlySpan<byte> Kinds => _kinds.AsSpan(0, EventCount);

    /// <summary>
    /// The indices of every event of <paramref name="kind"/>, ascending. O(events) over the kind column with a vectorized
    /// byte search (<see cref="MemoryExtensions.IndexOf{T}(ReadOnlySpan{T}, T)"/>); allocates the list only.
    /// </summary>
    internal List<int> IndicesOfKind(EventKind kind)
    {
        var result = new List<int>();
        var kinds = Kinds;
        int i = 0;
        while (i < kinds.Length)
        {
            int next = kinds[i..].IndexOf((byte)kind);
            if (next < 0)
                break;
            i += next;
            result.Add(i);
            i++;
        }
        return result;
    }

    /// <summary>Per event, the call depth (1 = outermost frame).</summary>
    public ReadOnlySpan<uint> Depths => _depths.AsSpan(0, EventCount);

    /// <summary>Per event, the detail record number or <see cref="TraceEvent.NoDetail"/> (dangling links already cleared).</summary>
    public ReadOnlySpan<uint> DetailSeqs => _detailSeqs.AsSpan(0, EventCount);

    /// <summary>The function id of the event at <paramref name="eventIndex"/>.</summary>
    public ulong GetFunctionId(int eventIndex) => _functionIds[_functionOrdinals[eventIndex]];

    /// <summary>The display name of the function at ordinal <paramref name="ordinal"/>.</summary>
    public string GetFunctionName(int ordinal) => Symbols.GetName(_functionIds[ordinal]);

    /// <summary>
    /// Index of the first element of <paramref name="sorted"/> (a thread's timestamps) that is at least
    /// <paramref name="value"/>; the length when none is. O(log n).
    /// </summary>
    internal static int LowerBound(ReadOnlySpan<long> sorted, long value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (sorted[mid] < value)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo;
    }
}
