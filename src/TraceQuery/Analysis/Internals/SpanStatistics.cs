using System.Buffers;
using TraceQuery.Filtering;
using TraceQuery.Model;
using TraceQuery.Vectorized;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Durations, self times and per-function groups of a trace's spans (restricted to a selection when
/// given), computed once per analysis with the vectorized kernels and shared by all detectors.
/// </summary>
internal sealed class SpanStatistics
{
    private static readonly double[] Quantiles = [0.5, 0.95, 0.99];

    private SpanStatistics(Trace trace)
    {
        Trace = trace;
        Spans = trace.Spans;
    }

    public Trace Trace { get; }
    public CallSpans Spans { get; }
    public long[] Durations { get; private set; } = [];
    public long[] SelfTimes { get; private set; } = [];
    public bool[]? Included { get; private set; }
    public int IncludedCount { get; private set; }

    /// <summary>Span ids grouped by function ordinal: the group of ordinal f is <c>[GroupStart[f], GroupStart[f+1])</c>.</summary>
    public int[] GroupedSpans { get; private set; } = [];
    public int[] GroupStart { get; private set; } = [];
    public FunctionStats?[] ByOrdinal { get; private set; } = [];

    public bool IsIncluded(int span) => Included is null || Included[span];

    public ReadOnlySpan<int> Group(int ordinal) => GroupedSpans.AsSpan(GroupStart[ordinal], GroupStart[ordinal + 1] - GroupStart[ordinal]);

    /// <summary>Self times of the spans of <see cref="GroupedSpans"/>, in the same order (only with per-span data).</summary>
    public long[] GroupedSelfTimes { get; private set; } = [];

    /// <summary>Self times of the group of <paramref name="ordinal"/>, in the order of <see cref="Group"/>.</summary>
    public ReadOnlySpan<long> GroupSelfTimes(int ordinal) => GroupedSelfTimes.AsSpan(GroupStart[ordinal], GroupStart[ordinal + 1] - GroupStart[ordinal]);

    /// <summary>
    /// Per-function statistics, and with <paramref name="perSpan"/> the per-span durations, self times and groups
    /// the detectors read. Streams the span arrays a fixed number of times (ordinals, then durations scattered
    /// straight into per-function runs, then one selection per function); never gathers through span ids.
    /// </summary>
    public static SpanStatistics Compute(Trace trace, Selection? selection, int maxDegreeOfParallelism, CancellationToken cancellationToken, bool perSpan = true)
    {
        var stats = new SpanStatistics(trace);
        var spans = stats.Spans;
        int count = spans.Count;
        if (selection is not null)
        {
            if (selection.Length != trace.EventCount)
                throw new ArgumentException($"The selection ranges over {selection.Length} events but the trace has {trace.EventCount}.", nameof(selection));
            var included = new bool[count];
            var spanOfEvent = spans.SpanOfEvent;
            foreach (int e in selection.Indices())
            {
                int s = spanOfEvent[e];
                if (s >= 0)
                    included[s] = true;
            }
            stats.Included = included;
        }

        // Pass 1: each included span's function ordinal (-1 when left out), group sizes, incomplete spans.
        int functions = trace.FunctionIds.Length;
        var ordinals = trace.FunctionOrdinals;
        var starts = spans.StartEvents;
        var statuses = spans.Statuses;
        var spanOrdinals = ArrayPool<int>.Shared.Rent(count);
        var groupStart = new int[functions + 1];
        var incomplete = new long[functions];
        for (int s = 0; s < count; s++)
        {
            if (!stats.IsIncluded(s))
            {
                spanOrdinals[s] = -1;
                continue;
            }
            int f = ordinals[starts[s]];
            spanOrdinals[s] = f;
            groupStart[f + 1]++;
            incomplete[f] += statuses[s] == SpanStatus.Complete ? 0 : 1;
        }
        for (int f = 0; f < functions; f++)
            groupStart[f + 1] += groupStart[f];
        int includedCount = groupStart[functions];
        cancellationToken.ThrowIfCancellationRequested();

        // Pass 2, thread by thread: durations scattered into per-function runs; the durations of the children of
        // each function's spans (self total = total − children); per-span arrays when asked for.
        var groupedDurations = ArrayPool<long>.Shared.Rent(includedCount);
        var childTotals = new long[functions];
        var cursor = groupStart.AsSpan(0, functions).ToArray();
        long[] durations = [], selfTimes = [];
        int[] grouped = [];
        if (perSpan)
        {
            durations = GC.AllocateUninitializedArray<long>(count);
            selfTimes = GC.AllocateUninitializedArray<long>(count);
            grouped = GC.AllocateUninitializedArray<int>(includedCount);
        }
        var ends = spans.EndEvents;
        var parents = spans.Parents;
        var timestamps = trace.Timestamps;
        for (int t = 0; t < trace.Threads.Count; t++)
        {
            var (first, last) = spans.GetThreadRange(t);
            if (first == last)
                continue;
            long threadEnd = timestamps[trace.Threads[t].End - 1];
            for (int s = first; s < last; s++)
            {
                int end = ends[s];
                long duration = (end >= 0 ? timestamps[end] : threadEnd) - timestamps[starts[s]];
                int parent = parents[s];
                if (perSpan)
                {
                    durations[s] = duration;
                    selfTimes[s] = duration;
                    if (parent >= 0)
                        selfTimes[parent] -= duration; // a parent always precedes its children
                }
                if (parent >= 0 && spanOrdinals[parent] >= 0)
                    childTotals[spanOrdinals[parent]] += duration;
                int f = spanOrdinals[s];
                if (f >= 0)
                {
                    int at = cursor[f]++;
                    groupedDurations[at] = duration;
                    if (perSpan)
                        grouped[at] = s;
                }
            }
        }
        stats.Durations = durations;
        stats.SelfTimes = selfTimes;
        stats.GroupedSpans = grouped;
        stats.GroupStart = groupStart;
        stats.IncludedCount = includedCount;

        if (perSpan)
        {
            // Self times are final only now; scatter them the same way for the outlier detector.
            var groupedSelf = GC.AllocateUninitializedArray<long>(includedCount);
            groupStart.AsSpan(0, functions).CopyTo(cursor);
            for (int s = 0; s < count; s++)
            {
                int f = spanOrdinals[s];
                if (f >= 0)
                    groupedSelf[cursor[f]++] = selfTimes[s];
            }
            stats.GroupedSelfTimes = groupedSelf;
        }
        ArrayPool<int>.Shared.Return(spanOrdinals);
        cancellationToken.ThrowIfCancellationRequested();

        var byOrdinal = new FunctionStats?[functions];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, functions, options, f => byOrdinal[f] = stats.ComputeFunction(f, groupedDurations, childTotals[f], incomplete[f]));
        ArrayPool<long>.Shared.Return(groupedDurations);
        stats.ByOrdinal = byOrdinal;
        return stats;
    }

    /// <summary>Statistics of one function from its run of <paramref name="groupedDurations"/> (reordered by the selection).</summary>
    private FunctionStats? ComputeFunction(int ordinal, long[] groupedDurations, long childTotal, long incomplete)
    {
        int length = GroupStart[ordinal + 1] - GroupStart[ordinal];
        if (length == 0)
            return null;
        var durations = groupedDurations.AsSpan(GroupStart[ordinal], length);
        long total = Kernels.Sum(durations);
        var (min, max) = Kernels.MinMax(durations);
        Span<double> quantiles = stackalloc double[3];
        Kernels.Percentiles(durations, Quantiles, quantiles);
        ulong id = Trace.FunctionIds[ordinal];
        return new FunctionStats(
            id, ordinal, Trace.Symbols.GetName(id), Trace.Symbols.GetModuleName(id),
            length, total, total - childTotal, min, max, (double)total / length,
            quantiles[0], quantiles[1], quantiles[2], incomplete);
    }
}
