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
    /// <summary>Histograms of all chunks may take this much in all (about 1,000 functions); more functions scatter instead.</summary>
    private const int HistogramBudgetBytes = 8 << 20;

    private static readonly double[] Quantiles = [0.5, 0.95, 0.99];

    private readonly long[] _durations;
    private readonly int[] _functionOrdinals;

    private SpanStatistics(ExecutionTrace trace)
    {
        Trace = trace;
        Spans = trace.Spans;
        // Held for the analysis's life: the trace holds its span columns only weakly, and the passes and detectors read them.
        _durations = Spans.DurationColumn();
        _functionOrdinals = Spans.FunctionOrdinalColumn();
    }

    public ExecutionTrace Trace { get; }
    public CallSpans Spans { get; }
    /// <summary>Every span's duration: the trace's cached span column (<see cref="CallSpans.Durations"/>), not a copy.</summary>
    public ReadOnlySpan<long> Durations => _durations;

    /// <summary>Every span's function ordinal: the trace's cached span column (<see cref="CallSpans.FunctionOrdinals"/>), held like <see cref="Durations"/>.</summary>
    public ReadOnlySpan<int> FunctionOrdinals => _functionOrdinals;

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
    /// <c>bucketedPercentiles: false</c> forces the summaries' scatter path (tests compare both paths).
    /// </summary>
    public static SpanStatistics Compute(ExecutionTrace trace, Selection? selection, int maxDegreeOfParallelism, CancellationToken cancellationToken, bool perSpan = true, bool bucketedPercentiles = true)
    {
        var stats = new SpanStatistics(trace);
        var spans = stats.Spans;
        int count = spans.Count;
        if (selection is not null)
        {
            if (selection.Length != trace.EventCount)
                throw new ArgumentException($"The selection ranges over {selection.Length} events but the trace has {trace.EventCount}.", nameof(selection));
            var touched = new bool[count];
            var spanOfEvent = spans.SpanOfEvent;
            foreach (int e in selection.Indices())
            {
                int s = spanOfEvent[e];
                if (s >= 0)
                    touched[s] = true;
            }
            stats.Included = touched;
        }

        if (!perSpan)
        {
            stats.ComputeSummaries(maxDegreeOfParallelism, cancellationToken, bucketedPercentiles);
            return stats;
        }

        // Threads run in parallel: a span's parent is on its own thread (and precedes it), so self times never cross
        // threads, and each thread scatters into its own slice of every function's run. Threads come in span-id order
        // and so do their slices, so the grouped order (ascending span id) does not depend on the scheduling.
        _ = spans.Durations; // build the cached columns before the parallel passes read them
        int functions = trace.FunctionIds.Length;
        int threads = trace.Threads.Count;
        var included = stats.Included;
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism };

        // Pass 1, per thread: group sizes and incomplete spans, from the cached per-span function column.
        var sizes = new int[threads][];
        var incompleteOf = new long[threads][];
        Parallel.For(0, threads, options, t =>
        {
            var (first, last) = spans.GetThreadRange(t);
            var size = new int[functions];
            var incomplete = new long[functions];
            var spanFunctions = spans.FunctionOrdinals;
            var statuses = spans.Statuses;
            for (int s = first; s < last; s++)
            {
                if (included is not null && !included[s])
                    continue;
                int f = spanFunctions[s];
                size[f]++;
                incomplete[f] += statuses[s] is SpanStatus.Complete or SpanStatus.Error ? 0 : 1;
            }
            sizes[t] = size;
            incompleteOf[t] = incomplete;
        });
        var groupStart = RunOffsets(sizes, functions);
        var incompleteTotals = SumParts(incompleteOf, functions);
        int includedCount = groupStart[functions];
        cancellationToken.ThrowIfCancellationRequested();

        // Pass 2, per thread: durations scattered into per-function runs; the durations of the children of each
        // function's spans (self total = total − children); self times and grouped span ids.
        // Scratch as large as the spans is kept only weakly between calls (the shared pool would keep it for the process's life).
        var groupedDurations = WeakScratch<long>.Rent(includedCount);
        var selfTimes = GC.AllocateUninitializedArray<long>(count);
        var grouped = GC.AllocateUninitializedArray<int>(includedCount);
        var groupedSelf = GC.AllocateUninitializedArray<long>(includedCount);
        var childTotalsOf = new long[threads][];
        Parallel.For(0, threads, options, t =>
        {
            var (first, last) = spans.GetThreadRange(t);
            var childTotals = new long[functions];
            var cursor = (int[])sizes[t].Clone();
            // The cached duration column is streamed, not rebuilt from two timestamps per span.
            var durations = spans.Durations;
            var parents = spans.Parents;
            var spanFunctions = spans.FunctionOrdinals;
            for (int s = first; s < last; s++)
            {
                long duration = durations[s];
                int parent = parents[s];
                selfTimes[s] = duration;
                if (parent >= 0)
                    selfTimes[parent] -= duration; // a parent always precedes its children, on the same thread
                if (parent >= 0 && (included is null || included[parent]))
                    childTotals[spanFunctions[parent]] += duration;
                if (included is null || included[s])
                {
                    int at = cursor[spanFunctions[s]]++;
                    groupedDurations[at] = duration;
                    grouped[at] = s;
                }
            }
            // The thread's self times are final now; scatter them the same way for the outlier detector.
            var selfCursor = sizes[t];
            for (int s = first; s < last; s++)
            {
                if (included is null || included[s])
                    groupedSelf[selfCursor[spanFunctions[s]]++] = selfTimes[s];
            }
            childTotalsOf[t] = childTotals;
        });
        var childTotals = SumParts(childTotalsOf, functions);
        stats.SelfTimes = selfTimes;
        stats.GroupedSpans = grouped;
        stats.GroupStart = groupStart;
        stats.IncludedCount = includedCount;
        stats.GroupedSelfTimes = groupedSelf;
        cancellationToken.ThrowIfCancellationRequested();

        var byOrdinal = new FunctionStats?[functions];
        var references = new double[functions * 4];
        references.AsSpan().Fill(double.NaN);
        stats._outlierReferences = references;
        Parallel.For(0, functions, options, f =>
        {
            byOrdinal[f] = stats.ComputeFunction(f, groupedDurations, childTotals[f], incompleteTotals[f]);
            if (byOrdinal[f] is { } function)
                stats.ComputeOutlierReferences(function, groupedDurations);
        });
        WeakScratch<long>.Return(groupedDurations);
        stats.ByOrdinal = byOrdinal;
        return stats;
    }

    /// <summary>Per function ordinal: p50 and upper reference of the durations (small groups only), then of the self times; NaN = not computed.</summary>
    private double[] _outlierReferences = [];

    /// <summary>
    /// The outlier detector's reference percentiles of <paramref name="ordinal"/>'s spans: the p50 and the
    /// <paramref name="upper"/> fraction of its self times (<paramref name="onSelf"/>) or durations, computed once in
    /// the per-function pass (in parallel with the other functions' statistics) instead of inside the detector. False
    /// when that pass did not compute them (no per-span data, a group of one, or another upper fraction).
    /// </summary>
    public bool TryGetOutlierReference(int ordinal, bool onSelf, double upper, out double p50, out double high)
    {
        (p50, high) = (double.NaN, double.NaN);
        if (_outlierReferences.Length == 0 || ByOrdinal[ordinal] is not { } function || upper != OutlierUpper(function.Count))
            return false;
        int at = (ordinal * 4) + (onSelf ? 2 : 0);
        (p50, high) = (_outlierReferences[at], _outlierReferences[at + 1]);
        return !double.IsNaN(p50);
    }

    /// <summary>The outlier detector's upper reference fraction: the p99, or with fewer than 100 calls the second-slowest call.</summary>
    private static double OutlierUpper(long count) => Math.Min(0.99, (count - 2.0) / (count - 1.0));

    /// <summary>
    /// The p50 and upper reference of <paramref name="function"/>'s durations (when fewer than 100 calls; with more
    /// the detector reads the function's own p50 and p99) and of its self times (when it has traced children). Reuses
    /// the function's run of <paramref name="groupedDurations"/> (its statistics are taken) as the selection's scratch.
    /// </summary>
    private void ComputeOutlierReferences(FunctionStats function, long[] groupedDurations)
    {
        if (function.Count < 2)
            return;
        double upper = OutlierUpper(function.Count);
        int ordinal = function.Ordinal;
        var run = groupedDurations.AsSpan(GroupStart[ordinal], GroupStart[ordinal + 1] - GroupStart[ordinal]);
        Span<double> q = stackalloc double[2];
        if (upper != 0.99)
        {
            Kernels.Percentiles(run, [0.5, upper], q); // the run holds the durations, reordered
            (_outlierReferences[ordinal * 4], _outlierReferences[(ordinal * 4) + 1]) = (q[0], q[1]);
        }
        if (function.SelfTotalNs != function.TotalNs)
        {
            GroupSelfTimes(ordinal).CopyTo(run);
            Kernels.Percentiles(run, [0.5, upper], q);
            (_outlierReferences[(ordinal * 4) + 2], _outlierReferences[(ordinal * 4) + 3]) = (q[0], q[1]);
        }
    }

    /// <summary>
    /// Per-function statistics only (no per-span arrays), over the cached span columns: chunks of spans in parallel
    /// tally count, total, min, max, children's time and incomplete spans per function, and (unless the functions are
    /// too many for it) count each function's durations into log-linear buckets; the buckets that hold each wanted rank
    /// are found from the counts and a second pass gathers only their durations, so the exact percentiles are selected
    /// from a few percent of the spans and no span-sized scratch is written. With too many functions for a histogram
    /// each, durations are scattered into per-function runs and selected per function instead. Every tally is an
    /// integer and the percentiles are exact, so the result does not depend on the chunking, the path or the degree of
    /// parallelism.
    /// </summary>
    private void ComputeSummaries(int maxDegreeOfParallelism, CancellationToken cancellationToken, bool bucketedPercentiles)
    {
        var spans = Spans;
        int count = spans.Count;
        int functions = Trace.FunctionIds.Length;
        _ = spans.Durations; // build the cached columns before the parallel passes read them
        var included = Included;

        // Chunk tallies cost 44 bytes per function each: keep them to a few MB for traces with many functions; the
        // bucket histograms cost 4 bytes per bucket and function each, kept under HistogramBudgetBytes in all.
        int chunks = Math.Clamp(count >> 18, 1, 16);
        chunks = Math.Max(1, Math.Min(chunks, (1 << 22) / Math.Max(1, functions * 44)));
        long histogramBytes = (long)functions * Kernels.QuantileBucketCount * sizeof(int);
        bool bucketed = bucketedPercentiles && histogramBytes <= HistogramBudgetBytes;
        if (bucketed)
            chunks = (int)Math.Max(1, Math.Min(chunks, HistogramBudgetBytes / Math.Max(1, histogramBytes))); // no functions: no histogram
        int chunkSize = (count + chunks - 1) / Math.Max(1, chunks);
        var tallies = new long[chunks][];
        var sizes = new int[chunks][];
        var histograms = new int[chunks][];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism };

        // Pass 1: per chunk and function: [count in sizes], total, min, max, children's total, incomplete; bucket counts.
        Parallel.For(0, chunks, options, c =>
        {
            var tally = new long[functions * 5];
            var size = new int[functions];
            var histogram = bucketed ? new int[functions * Kernels.QuantileBucketCount] : null;
            tally.AsSpan(functions * 2, functions).Fill(long.MaxValue);
            tally.AsSpan(functions * 3, functions).Fill(long.MinValue);
            int lo = c * chunkSize, hi = Math.Min(count, lo + chunkSize);
            TallyChunk(spans, included, lo, hi, functions, tally, size, histogram);
            tallies[c] = tally;
            sizes[c] = size;
            histograms[c] = histogram!;
        });
        cancellationToken.ThrowIfCancellationRequested();

        var groupStart = RunOffsets(sizes, functions);
        int includedCount = groupStart[functions];
        GroupStart = groupStart;
        IncludedCount = includedCount;
        var (mins, maxes) = JoinMinMax(tallies, functions);

        // Pass 2: the percentiles, from the buckets or from per-function runs.
        var quantiles = bucketed
            ? BucketedPercentiles(histograms, mins, maxes, chunkSize, options)
            : ScatteredPercentiles(sizes, chunkSize, options);
        cancellationToken.ThrowIfCancellationRequested();

        // Pass 3: per function, the chunk tallies joined.
        var byOrdinal = new FunctionStats?[functions];
        for (int f = 0; f < functions; f++)
        {
            int length = groupStart[f + 1] - groupStart[f];
            if (length == 0)
                continue;
            long total = 0, childTotal = 0, incomplete = 0;
            foreach (var tally in tallies)
            {
                total += tally[f];
                childTotal += tally[functions + f];
                incomplete += tally[(functions * 4) + f];
            }
            ulong id = Trace.FunctionIds[f];
            int q = f * Quantiles.Length;
            byOrdinal[f] = new FunctionStats(
                id, f, Trace.Symbols.GetName(id), Trace.Symbols.GetModuleName(id),
                length, total, total - childTotal, mins[f], maxes[f], (double)total / length,
                quantiles[q], quantiles[q + 1], quantiles[q + 2], incomplete);
        }
        ByOrdinal = byOrdinal;
    }

    /// <summary>Per function, the least and greatest duration over all chunks.</summary>
    private static (long[] Mins, long[] Maxes) JoinMinMax(long[][] tallies, int functions)
    {
        var mins = new long[functions];
        var maxes = new long[functions];
        mins.AsSpan().Fill(long.MaxValue);
        maxes.AsSpan().Fill(long.MinValue);
        foreach (var tally in tallies)
        {
            for (int f = 0; f < functions; f++)
            {
                mins[f] = Math.Min(mins[f], tally[(functions * 2) + f]);
                maxes[f] = Math.Max(maxes[f], tally[(functions * 3) + f]);
            }
        }
        return (mins, maxes);
    }

    /// <summary>
    /// Exact percentiles of every function (row f·3 of the result: p50, p95, p99) from its bucket counts: the floor and
    /// ceiling ranks of each fraction are located in buckets, one pass over the spans (chunks in parallel, each writing
    /// at offsets known from its own counts) gathers the durations of those buckets only, and a selection over each
    /// function's gathered durations gives the exact order statistics, interpolated as <see cref="Kernels.Percentiles"/> does.
    /// </summary>
    private double[] BucketedPercentiles(int[][] histograms, long[] mins, long[] maxes, int chunkSize, ParallelOptions options)
    {
        const int Buckets = Kernels.QuantileBucketCount;
        int functions = Trace.FunctionIds.Length;
        int chunks = histograms.Length;
        int perFunction = 2 * Quantiles.Length;
        var results = new double[functions * Quantiles.Length];
        var wanted = new bool[functions * Buckets];
        var ranks = new int[functions * perFunction];      // distinct ascending floor/ceiling ranks of each function
        var locals = new int[functions * perFunction];     // each rank's position among the function's gathered durations
        var rankCounts = new int[functions];
        var candidateStart = new int[functions + 1];
        var cursors = new int[chunks][];
        for (int c = 0; c < chunks; c++)
            cursors[c] = new int[functions];
        var totals = new int[Buckets];
        for (int f = 0; f < functions; f++)
        {
            int n = GroupStart[f + 1] - GroupStart[f];
            candidateStart[f + 1] = candidateStart[f];
            if (n == 0 || mins[f] == maxes[f])
                continue; // nothing to select: no spans, or every rank holds the one value
            int k = 0;
            foreach (double p in Quantiles)
            {
                double position = (double)(n - 1) * p;
                int floor = (int)Math.Floor(position), ceiling = (int)Math.Ceiling(position);
                if (k == 0 || ranks[(f * perFunction) + k - 1] < floor)
                    ranks[(f * perFunction) + k++] = floor;
                if (ranks[(f * perFunction) + k - 1] < ceiling)
                    ranks[(f * perFunction) + k++] = ceiling;
            }
            rankCounts[f] = k;
            totals.AsSpan().Clear();
            foreach (var histogram in histograms)
            {
                var row = histogram.AsSpan(f * Buckets, Buckets);
                for (int b = 0; b < Buckets; b++)
                    totals[b] += row[b];
            }
            // Walk the buckets once: a rank's bucket is the one whose running count passes it; its place among the
            // gathered durations is its place in its bucket plus the sizes of the wanted buckets below it.
            int below = 0, gathered = 0, bucket = 0, i = 0;
            for (; bucket < Buckets && i < k; bucket++)
            {
                int size = totals[bucket];
                bool any = false;
                while (i < k && ranks[(f * perFunction) + i] < below + size)
                {
                    locals[(f * perFunction) + i] = gathered + ranks[(f * perFunction) + i] - below;
                    i++;
                    any = true;
                }
                if (any)
                {
                    wanted[(f * Buckets) + bucket] = true;
                    gathered += size;
                }
                below += size;
            }
            candidateStart[f + 1] = candidateStart[f] + gathered;
            int cursor = candidateStart[f];
            for (int c = 0; c < chunks; c++)
            {
                cursors[c][f] = cursor;
                var row = histograms[c].AsSpan(f * Buckets, Buckets);
                for (int b = 0; b < Buckets; b++)
                    cursor += wanted[(f * Buckets) + b] ? row[b] : 0;
            }
        }

        int candidateCount = candidateStart[functions];
        var candidates = WeakScratch<long>.Rent(candidateCount);
        var spans = Spans;
        var included = Included;
        int count = spans.Count;
        Parallel.For(0, chunks, options, c =>
        {
            int lo = c * chunkSize, hi = Math.Min(count, lo + chunkSize);
            GatherChunk(spans, included, lo, hi, wanted, cursors[c], candidates);
        });
        options.CancellationToken.ThrowIfCancellationRequested();

        Parallel.For(0, functions, options, f =>
        {
            int n = GroupStart[f + 1] - GroupStart[f];
            if (n == 0)
                return;
            int q = f * Quantiles.Length;
            if (mins[f] == maxes[f])
            {
                results.AsSpan(q, Quantiles.Length).Fill(mins[f]);
                return;
            }
            int k = rankCounts[f];
            var set = candidates.AsSpan(candidateStart[f], candidateStart[f + 1] - candidateStart[f]);
            Span<long> statistics = stackalloc long[perFunction];
            // Descending: after selecting local rank r, the r smallest are set[..r], where every lower rank lies.
            int bound = set.Length;
            for (int i = k - 1; i >= 0; i--)
            {
                int local = locals[(f * perFunction) + i];
                statistics[i] = Kernels.SelectKth(set[..bound], local);
                bound = local;
            }
            var fRanks = ranks.AsSpan(f * perFunction, k);
            for (int j = 0; j < Quantiles.Length; j++)
            {
                double position = (double)(n - 1) * Quantiles[j];
                int floor = (int)Math.Floor(position), ceiling = (int)Math.Ceiling(position);
                long lo = statistics[fRanks.IndexOf(floor)];
                long hi = ceiling == floor ? lo : statistics[fRanks.IndexOf(ceiling)];
                results[q + j] = Kernels.InterpolateQuantile(lo, hi, position, floor);
            }
        });
        WeakScratch<long>.Return(candidates);
        return results;
    }

    /// <summary>Writes the durations of the included spans of <c>[lo, hi)</c> whose bucket is wanted for their function at its cursor.</summary>
    private static void GatherChunk(CallSpans spans, bool[]? included, int lo, int hi, bool[] wanted, int[] cursor, long[] candidates)
    {
        const int Buckets = Kernels.QuantileBucketCount;
        var durations = spans.Durations;
        var ordinals = spans.FunctionOrdinals;
        for (int s = lo; s < hi; s++)
        {
            if (included is not null && !included[s])
                continue;
            long duration = durations[s];
            int f = ordinals[s];
            if (wanted[(f * Buckets) + Kernels.QuantileBucket(duration)])
                candidates[cursor[f]++] = duration;
        }
    }

    /// <summary>
    /// The percentiles by per-function runs (functions too many for a histogram each): durations scattered into their
    /// function's run, then each run's percentiles selected in parallel, largest runs first.
    /// </summary>
    private double[] ScatteredPercentiles(int[][] cursors, int chunkSize, ParallelOptions options)
    {
        var spans = Spans;
        var included = Included;
        int count = spans.Count;
        int functions = Trace.FunctionIds.Length;
        var groupStart = GroupStart;
        var grouped = WeakScratch<long>.Rent(IncludedCount);
        Parallel.For(0, cursors.Length, options, c =>
        {
            int lo = c * chunkSize, hi = Math.Min(count, lo + chunkSize);
            ScatterChunk(spans, included, lo, hi, cursors[c], grouped);
        });
        options.CancellationToken.ThrowIfCancellationRequested();

        var order = new int[functions];
        for (int f = 0; f < functions; f++)
            order[f] = f;
        Array.Sort(order, (a, b) =>
        {
            int c = (groupStart[b + 1] - groupStart[b]).CompareTo(groupStart[a + 1] - groupStart[a]);
            return c != 0 ? c : a.CompareTo(b);
        });
        var results = new double[functions * Quantiles.Length];
        Parallel.For(0, functions, options, i =>
        {
            int f = order[i];
            int length = groupStart[f + 1] - groupStart[f];
            if (length > 0)
                Kernels.Percentiles(grouped.AsSpan(groupStart[f], length), Quantiles, results.AsSpan(f * Quantiles.Length, Quantiles.Length));
        });
        WeakScratch<long>.Return(grouped);
        return results;
    }

    /// <summary>
    /// Offsets of per-function runs: functions in ordinal order, and within a run the parts (threads or chunks) in
    /// order. Turns each part's per-function sizes into its start cursors and returns the runs' starts (one more than
    /// <paramref name="functions"/>, the last the total).
    /// </summary>
    private static int[] RunOffsets(int[][] sizes, int functions)
    {
        var groupStart = new int[functions + 1];
        for (int f = 0; f < functions; f++)
        {
            int run = 0;
            foreach (var part in sizes)
            {
                int n = part[f];
                part[f] = groupStart[f] + run;
                run += n;
            }
            groupStart[f + 1] = groupStart[f] + run;
        }
        return groupStart;
    }

    /// <summary>Per-function sums of the parts' per-function tallies.</summary>
    private static long[] SumParts(long[][] parts, int functions)
    {
        var sums = new long[functions];
        foreach (var part in parts)
        {
            for (int f = 0; f < functions; f++)
                sums[f] += part[f];
        }
        return sums;
    }

    private static void Tally<TInclusion>(CallSpans spans, TInclusion inclusion, int lo, int hi, FunctionTally[] perFunction, int[]? histogram)
        where TInclusion : struct, ISpanInclusion
    {
        var durations = spans.Durations;
        var ordinals = spans.FunctionOrdinals;
        var parents = spans.Parents;
        var statuses = spans.Statuses;
        for (int s = lo; s < hi; s++)
        {
            if (!inclusion.Includes(s))
                continue;
            long duration = durations[s];
            int f = ordinals[s];
            if (histogram is not null)
                histogram[(f * Kernels.QuantileBucketCount) + Kernels.QuantileBucket(duration)]++;
            ref var t = ref perFunction[f];
            t.Count++;
            t.Total += duration;
            t.Min = Math.Min(t.Min, duration);
            t.Max = Math.Max(t.Max, duration);
            t.Incomplete += statuses[s] is SpanStatus.Complete or SpanStatus.Error ? 0 : 1;
            int parent = parents[s];
            if (parent >= 0 && inclusion.Includes(parent))
                perFunction[ordinals[parent]].ChildTotal += duration;
        }
    }

    private interface ISpanInclusion
    {
        bool Includes(int span);
    }

    private readonly struct EverySpan : ISpanInclusion
    {
        public bool Includes(int span) => true;
    }

    private readonly struct SelectedSpans(bool[] included) : ISpanInclusion
    {
        public bool Includes(int span) => included[span];
    }

    /// <summary>
    /// Tallies spans <c>[lo, hi)</c> into <paramref name="tally"/> (five rows of one slot per function: total,
    /// children's total, min, max, incomplete) and <paramref name="size"/> (count), and, when given, each duration into
    /// its function's row of <paramref name="histogram"/> (<see cref="Kernels.QuantileBucketCount"/> buckets per
    /// function). A span's duration counts as a child's of its parent's function when the parent is included.
    /// </summary>
    private static void TallyChunk(CallSpans spans, bool[]? included, int lo, int hi, int functions, long[] tally, int[] size, int[]? histogram)
    {
        // One record per function keeps a span's six updates on one or two cache lines; the inclusion test is a
        // struct type argument, so the common case (no selection) is compiled without a per-span test of it.
        var perFunction = new FunctionTally[functions];
        for (int f = 0; f < functions; f++)
            perFunction[f] = new FunctionTally { Min = long.MaxValue, Max = long.MinValue };
        if (included is null)
            Tally(spans, new EverySpan(), lo, hi, perFunction, histogram);
        else
            Tally(spans, new SelectedSpans(included), lo, hi, perFunction, histogram);
        for (int f = 0; f < functions; f++)
        {
            ref var t = ref perFunction[f];
            size[f] = (int)t.Count;
            tally[f] = t.Total;
            tally[functions + f] = t.ChildTotal;
            tally[(functions * 2) + f] = t.Min;
            tally[(functions * 3) + f] = t.Max;
            tally[(functions * 4) + f] = t.Incomplete;
        }
    }

    /// <summary>One function's running tallies within a chunk of spans.</summary>
    private struct FunctionTally
    {
        public long Count;
        public long Total;
        public long Min;
        public long Max;
        public long ChildTotal;
        public long Incomplete;
    }

    /// <summary>Writes the durations of the included spans of <c>[lo, hi)</c> at their function's next position in <paramref name="cursor"/>.</summary>
    private static void ScatterChunk(CallSpans spans, bool[]? included, int lo, int hi, int[] cursor, long[] grouped)
    {
        var durations = spans.Durations;
        var ordinals = spans.FunctionOrdinals;
        for (int s = lo; s < hi; s++)
        {
            if (included is null || included[s])
                grouped[cursor[ordinals[s]]++] = durations[s];
        }
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
