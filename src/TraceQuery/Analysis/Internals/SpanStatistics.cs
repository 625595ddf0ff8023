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

    public static SpanStatistics Compute(Trace trace, Selection? selection, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        var stats = new SpanStatistics(trace);
        var spans = stats.Spans;
        int count = spans.Count;
        stats.Durations = GC.AllocateUninitializedArray<long>(count);
        spans.GetDurations(stats.Durations);
        stats.SelfTimes = GC.AllocateUninitializedArray<long>(count);
        spans.GetSelfTimes(stats.Durations, stats.SelfTimes);
        cancellationToken.ThrowIfCancellationRequested();

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

        // Counting sort of span ids by function ordinal.
        int functions = trace.FunctionIds.Length;
        var ordinals = trace.FunctionOrdinals;
        var starts = spans.StartEvents;
        var groupStart = new int[functions + 1];
        int includedCount = 0;
        for (int s = 0; s < count; s++)
        {
            if (stats.IsIncluded(s))
            {
                groupStart[ordinals[starts[s]] + 1]++;
                includedCount++;
            }
        }
        for (int f = 0; f < functions; f++)
            groupStart[f + 1] += groupStart[f];
        var grouped = GC.AllocateUninitializedArray<int>(includedCount);
        var cursor = groupStart.AsSpan(0, functions).ToArray();
        for (int s = 0; s < count; s++)
        {
            if (stats.IsIncluded(s))
                grouped[cursor[ordinals[starts[s]]]++] = s;
        }
        stats.GroupedSpans = grouped;
        stats.GroupStart = groupStart;
        stats.IncludedCount = includedCount;
        cancellationToken.ThrowIfCancellationRequested();

        var byOrdinal = new FunctionStats?[functions];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, functions, options, f => byOrdinal[f] = stats.ComputeFunction(f));
        stats.ByOrdinal = byOrdinal;
        return stats;
    }

    private FunctionStats? ComputeFunction(int ordinal)
    {
        var group = Group(ordinal);
        if (group.IsEmpty)
            return null;
        var durations = new long[group.Length];
        long selfTotal = 0, incomplete = 0;
        var statuses = Spans.Statuses;
        for (int i = 0; i < group.Length; i++)
        {
            int s = group[i];
            durations[i] = Durations[s];
            selfTotal += SelfTimes[s];
            incomplete += statuses[s] == SpanStatus.Complete ? 0 : 1;
        }
        long total = Kernels.Sum(durations);
        var (min, max) = Kernels.MinMax(durations);
        Span<double> quantiles = stackalloc double[3];
        Kernels.Percentiles(durations, Quantiles, quantiles);
        ulong id = Trace.FunctionIds[ordinal];
        return new FunctionStats(
            id, ordinal, Trace.Symbols.GetName(id), Trace.Symbols.GetModuleName(id),
            group.Length, total, selfTotal, min, max, (double)total / group.Length,
            quantiles[0], quantiles[1], quantiles[2], incomplete);
    }
}
