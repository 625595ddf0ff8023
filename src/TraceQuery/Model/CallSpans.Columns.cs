namespace TraceQuery.Model;

public sealed partial class CallSpans
{
    private long[]? _durations;
    private int[]? _functionOrdinals;

    /// <summary>
    /// Every span's duration in nanoseconds (an open span runs to its thread's last event), indexed by span id.
    /// Computed on first use, in parallel over threads for large traces, and cached: statistics then stream one
    /// array instead of gathering two timestamps per span. 8 bytes per span.
    /// </summary>
    public ReadOnlySpan<long> Durations => _durations ?? BuildColumns().Durations;

    /// <summary>
    /// Every span's function ordinal (an index into <see cref="ExecutionTrace.FunctionIds"/>), indexed by span id. Cached
    /// with <see cref="Durations"/>; 4 bytes per span.
    /// </summary>
    public ReadOnlySpan<int> FunctionOrdinals => _functionOrdinals ?? BuildColumns().FunctionOrdinals;

    private (long[] Durations, int[] FunctionOrdinals) BuildColumns()
    {
        var durations = GC.AllocateUninitializedArray<long>(Count);
        var ordinals = GC.AllocateUninitializedArray<int>(Count);
        void Fill(int t)
        {
            int first = _threadSpanStart[t], last = _threadSpanStart[t + 1];
            if (first == last)
                return;
            long threadEnd = _trace.Timestamps[_trace.Threads[t].End - 1];
            for (int s = first; s < last; s++)
            {
                int start = _startEvents[s], end = _endEvents[s];
                durations[s] = (end >= 0 ? _trace.Timestamps[end] : threadEnd) - _trace.Timestamps[start];
                ordinals[s] = _trace.FunctionOrdinals[start];
            }
        }
        int threads = _threadSpanStart.Length - 1;
        if (Count > 1 << 20 && threads > 1)
            Parallel.For(0, threads, Fill);
        else
            for (int t = 0; t < threads; t++)
                Fill(t);

        // Publish ordinals first: a reader that sees the durations then also sees the ordinals.
        Interlocked.CompareExchange(ref _functionOrdinals, ordinals, null);
        Interlocked.CompareExchange(ref _durations, durations, null);
        return (_durations!, _functionOrdinals!);
    }
}
