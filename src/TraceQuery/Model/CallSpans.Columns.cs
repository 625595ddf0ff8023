namespace TraceQuery.Model;

public sealed partial class CallSpans
{
    // The two span columns are a cache the garbage collector may reclaim (12 bytes per span, 6 per event at two events
    // per span: what kept a trace with spans above 32 bytes per event). A reader's span keeps its array alive while it
    // reads; a full collection with no reader frees them and the next use rebuilds them (one parallel pass).
    private readonly WeakReference<long[]?> _durations = new(null);
    private readonly WeakReference<int[]?> _functionOrdinals = new(null);
    private readonly Lock _columnsLock = new();

    /// <summary>
    /// Every span's duration in nanoseconds (an open span runs to its thread's last event), indexed by span id.
    /// Computed on first use, in parallel over threads for large traces, and cached: statistics then stream one
    /// array instead of gathering two timestamps per span. 8 bytes per span, held weakly: a full garbage collection
    /// while nothing reads it frees it, and the next use computes it again (the values are the same).
    /// </summary>
    public ReadOnlySpan<long> Durations => DurationColumn();

    /// <summary>
    /// Every span's function ordinal (an index into <see cref="ExecutionTrace.FunctionIds"/>), indexed by span id. Cached
    /// with <see cref="Durations"/> and like it held weakly; 4 bytes per span.
    /// </summary>
    public ReadOnlySpan<int> FunctionOrdinals => FunctionOrdinalColumn();

    /// <summary>The array behind <see cref="Durations"/>; a caller that keeps it keeps the column alive. Never written.</summary>
    internal long[] DurationColumn() => _durations.TryGetTarget(out var durations) && durations is not null ? durations : BuildColumns().Durations;

    /// <summary>The array behind <see cref="FunctionOrdinals"/>; a caller that keeps it keeps the column alive. Never written.</summary>
    internal int[] FunctionOrdinalColumn() =>
        _functionOrdinals.TryGetTarget(out var ordinals) && ordinals is not null ? ordinals : BuildColumns().FunctionOrdinals;

    private (long[] Durations, int[] FunctionOrdinals) BuildColumns()
    {
        lock (_columnsLock)
        {
            // Another caller may have built (or kept) one or both columns meanwhile: build only what is missing.
            bool haveDurations = _durations.TryGetTarget(out var durations) && durations is not null;
            bool haveOrdinals = _functionOrdinals.TryGetTarget(out var ordinals) && ordinals is not null;
            if (haveDurations && haveOrdinals)
                return (durations!, ordinals!);
            var newDurations = haveDurations ? durations! : GC.AllocateUninitializedArray<long>(Count);
            var newOrdinals = haveOrdinals ? ordinals! : GC.AllocateUninitializedArray<int>(Count);
            void Fill(int t)
            {
                int first = _threadSpanStart[t], last = _threadSpanStart[t + 1];
                if (first == last)
                    return;
                var timestamps = _trace.Timestamps;
                var eventOrdinals = _trace.FunctionOrdinals;
                long threadEnd = timestamps[_trace.Threads[t].End - 1];
                for (int s = first; s < last; s++)
                {
                    int start = _startEvents[s], end = _endEvents[s];
                    if (!haveDurations)
                        newDurations[s] = (end >= 0 ? timestamps[end] : threadEnd) - timestamps[start];
                    if (!haveOrdinals)
                        newOrdinals[s] = eventOrdinals[start];
                }
            }
            int threads = _threadSpanStart.Length - 1;
            if (Count > 1 << 20 && threads > 1)
                Parallel.For(0, threads, Fill);
            else
                for (int t = 0; t < threads; t++)
                    Fill(t);
            _durations.SetTarget(newDurations);
            _functionOrdinals.SetTarget(newOrdinals);
            return (newDurations, newOrdinals);
        }
    }
}
