using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using DuckDB.NET.Data;
using TraceQuery.Analysis;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Per-function count, total, min, max and exact p50/p95/p99 of span durations (issue 4; target ≤ 50 ms at 10M
/// events), against LINQ <c>GroupBy</c> + sort and DuckDB <c>quantile_cont</c> … <c>GROUP BY fid</c>. Spans are
/// paired in setup, which also builds their cached duration and ordinal columns (a separate case times pairing
/// and those columns on a freshly opened trace), and the baselines get the same durations precomputed; setup
/// checks that every engine gives the same statistics.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10, invocationCount: 1)]
[MemoryDiagnoser]
public class FunctionStatsBenchmarks
{
    private const string StatsSql =
        "SELECT fid, count(*), sum(dur)::BIGINT, min(dur), max(dur), quantile_cont(dur, [0.5, 0.95, 0.99]) FROM spans GROUP BY fid";

    private const double Tolerance = 1e-6;

    private readonly Analyzer _analyzer = new();
    private string _directory = "";
    private ExecutionTrace _trace = null!;

    /// <summary>The trace the statistics cases read (for <see cref="StatsCpuProbe"/>).</summary>
    internal ExecutionTrace Trace => _trace;
    private ExecutionTrace? _freshTrace;
    private SpanDuration[] _spanDurations = [];
    private DuckDBConnection _duckDb = null!;

    // The span columns are a weak cache (issue 18 item 7) and BenchmarkDotNet collects before each iteration: held here,
    // as DuckDB's table is, so the statistics cases measure the statistics, not a rebuild of the columns.
    private long[] _heldDurations = [];
    private int[] _heldFunctionOrdinals = [];

    /// <summary>Loads the session, pairs its spans, computes the baselines' durations, fills DuckDB and cross-checks all engines.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _directory = AtfBenchmarkSession.GetOrCreate();
        _trace = AtfReader.Open(_directory);
        var spans = _trace.Spans;
        _heldDurations = spans.DurationColumn();
        _heldFunctionOrdinals = spans.FunctionOrdinalColumn();
        var durations = new long[spans.Count];
        spans.GetDurations(durations);
        var functionIds = new ulong[spans.Count];
        _spanDurations = new SpanDuration[spans.Count];
        for (int s = 0; s < spans.Count; s++)
        {
            functionIds[s] = _trace.FunctionIds[spans.GetFunctionOrdinal(s)];
            _spanDurations[s] = new SpanDuration(functionIds[s], durations[s]);
        }

        _duckDb = DuckDbTraceTables.OpenInMemory();
        DuckDbTraceTables.LoadSpans(_duckDb, functionIds, durations);

        var expected = TraceQuery().ToDictionary(f => f.FunctionId);
        Check("LINQ", expected, Linq());
        Check("DuckDB", expected, DuckDb());
        Console.WriteLine($"// {spans.Count:N0} spans of {expected.Count} functions over {_trace.EventCount:N0} events; LINQ and DuckDB agree");
    }

    /// <summary>Releases DuckDB and the traces.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _duckDb.Dispose();
        _heldDurations = [];
        _heldFunctionOrdinals = [];
        _freshTrace?.Dispose();
        _trace.Dispose();
    }

    /// <summary>Opens the session again so that <see cref="TraceQueryWithSpanPairing"/> finds no cached spans (not timed).</summary>
    [IterationSetup(Target = nameof(TraceQueryWithSpanPairing))]
    public void OpenFreshTrace()
    {
        _freshTrace?.Dispose();
        _freshTrace = null;
        GC.Collect();
        _freshTrace = AtfReader.Open(_directory);
    }

    /// <summary>LINQ: <c>GroupBy</c> function id, then per group a sorted copy of the durations and closest-rank interpolation.</summary>
    [Benchmark(Baseline = true)]
    public List<StatsRow> Linq() => [.. _spanDurations
        .GroupBy(s => s.FunctionId)
        .Select(g =>
        {
            var sorted = g.Select(s => s.DurationNs).ToArray();
            Array.Sort(sorted);
            return new StatsRow(g.Key, sorted.Length, sorted.Sum(), sorted[0], sorted[^1],
                QuantileCont(sorted, 0.5), QuantileCont(sorted, 0.95), QuantileCont(sorted, 0.99));
        })];

    /// <summary>TraceQuery: <see cref="Analyzer.ComputeFunctionStats"/> with spans already paired (also computes self time and mean).</summary>
    [Benchmark]
    public IReadOnlyList<FunctionStats> TraceQuery() => _analyzer.ComputeFunctionStats(_trace);

    /// <summary>The statistics pass alone with the bucketed percentiles (the default path, issue 18).</summary>
    [Benchmark]
    public int TraceQueryBucketedPass() =>
        global::TraceQuery.Analysis.Internals.SpanStatistics.Compute(_trace, null, -1, CancellationToken.None, perSpan: false, bucketedPercentiles: true).ByOrdinal.Length;

    /// <summary>The statistics pass alone with durations scattered into per-function runs (the path before issue 18's buckets).</summary>
    [Benchmark]
    public int TraceQueryScatteredPass() =>
        global::TraceQuery.Analysis.Internals.SpanStatistics.Compute(_trace, null, -1, CancellationToken.None, perSpan: false, bucketedPercentiles: false).ByOrdinal.Length;

    /// <summary>TraceQuery on a trace opened in the iteration's setup: span pairing plus statistics.</summary>
    [Benchmark]
    public IReadOnlyList<FunctionStats> TraceQueryWithSpanPairing() => _analyzer.ComputeFunctionStats(_freshTrace!);

    /// <summary>DuckDB: one <c>GROUP BY fid</c> with <c>quantile_cont</c> over a list of fractions, every row read.</summary>
    [Benchmark]
    public List<StatsRow> DuckDb()
    {
        var rows = new List<StatsRow>();
        using var command = _duckDb.CreateCommand();
        command.CommandText = StatsSql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var quantiles = reader.GetFieldValue<List<double>>(5);
            rows.Add(new StatsRow(reader.GetFieldValue<ulong>(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.GetInt64(3), reader.GetInt64(4), quantiles[0], quantiles[1], quantiles[2]));
        }
        return rows;
    }

    /// <summary>DuckDB's <c>quantile_cont</c> over a sorted array: interpolate between ranks floor and ceil of (n − 1)·p.</summary>
    private static double QuantileCont(long[] sorted, double p)
    {
        double position = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(position);
        int hi = (int)Math.Ceiling(position);
        double d = position - lo;
        return lo == hi ? sorted[lo] : (sorted[lo] * (1.0 - d)) + (sorted[hi] * d);
    }

    private static void Check(string engine, Dictionary<ulong, FunctionStats> expected, List<StatsRow> actual)
    {
        if (actual.Count != expected.Count)
            throw new InvalidOperationException($"{engine} gives {actual.Count} functions, TraceQuery {expected.Count}.");
        foreach (var row in actual)
        {
            if (!expected.TryGetValue(row.FunctionId, out var f))
                throw new InvalidOperationException($"{engine} gives function 0x{row.FunctionId:x16}, which TraceQuery does not.");
            if (row.Count != f.Count || row.TotalNs != f.TotalNs || row.MinNs != f.MinNs || row.MaxNs != f.MaxNs)
                throw new InvalidOperationException($"{engine} disagrees on count/total/min/max of {f.Name}: {row} vs {f}.");
            if (!Close(row.P50Ns, f.P50Ns) || !Close(row.P95Ns, f.P95Ns) || !Close(row.P99Ns, f.P99Ns))
                throw new InvalidOperationException($"{engine} disagrees on the percentiles of {f.Name}: {row} vs {f}.");
        }
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) <= Tolerance * Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b)));

    /// <summary>One span's function id and duration, as the LINQ baseline receives them.</summary>
    /// <param name="FunctionId">Function id.</param>
    /// <param name="DurationNs">Duration in nanoseconds.</param>
    public readonly record struct SpanDuration(ulong FunctionId, long DurationNs);

    /// <summary>The statistics the baselines compute for one function.</summary>
    /// <param name="FunctionId">Function id.</param>
    /// <param name="Count">Spans.</param>
    /// <param name="TotalNs">Sum of durations.</param>
    /// <param name="MinNs">Shortest.</param>
    /// <param name="MaxNs">Longest.</param>
    /// <param name="P50Ns">Median (quantile_cont).</param>
    /// <param name="P95Ns">95th percentile (quantile_cont).</param>
    /// <param name="P99Ns">99th percentile (quantile_cont).</param>
    public readonly record struct StatsRow(ulong FunctionId, long Count, long TotalNs, long MinNs, long MaxNs, double P50Ns, double P95Ns, double P99Ns);
}
