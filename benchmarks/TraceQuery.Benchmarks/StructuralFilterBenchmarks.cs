using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using DuckDB.NET.Data;
using TraceQuery.Filtering;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;

namespace TraceQuery.Benchmarks;

/// <summary>
/// A structural filter, <c>fn:handle_* &gt;&gt; fn:memcpy*</c> (copies made anywhere inside a request handler), counted
/// by TraceQuery and by DuckDB over the same spans in the same run. DuckDB gets the spans as a table
/// <c>spans(id, parent, fid, pre, post)</c> with the same pre-order interval numbers TraceQuery uses (<c>pre</c> = the
/// span's opening event, <c>post</c> = the end of its subtree's interval), and answers once with an interval semi-join
/// with the same sweep as a window query (the best formulation we found), and with a recursive CTE walking up the parents. Loading, building the interval numbers and checking that all
/// engines agree happen in setup; the one-time cost of the encoding is measured on its own
/// (<see cref="TraceQuerySpanTreeBuild"/>).
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class StructuralFilterBenchmarks
{
    /// <summary>
    /// A short job run in process: on the shared 2-core machine, building the generated benchmark project exceeds
    /// BenchmarkDotNet's two-minute build timeout.
    /// </summary>
    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig() =>
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(6).WithToolchain(InProcessEmitToolchain.Instance));
    }

    /// <summary>The filter measured.</summary>
    public const string Filter = "fn:handle_* >> fn:memcpy*";

    private const string OuterFids = @"SELECT fid FROM functions WHERE name ILIKE 'handle\_%' ESCAPE '\'";
    private const string InnerFids = "SELECT fid FROM functions WHERE name ILIKE 'memcpy%'";

    /// <summary>Interval semi-join: inner spans with an outer span whose interval holds their opening event.</summary>
    public const string IntervalJoinSql =
        "SELECT count(*) FROM spans b WHERE b.fid IN (" + InnerFids + ") AND EXISTS (SELECT 1 FROM spans a WHERE a.fid IN ("
        + OuterFids + ") AND a.pre < b.pre AND b.pre < a.post)";

    /// <summary>
    /// The sweep TraceQuery does, as a window query: over the spans of either side in pre-order, the largest
    /// <c>post</c> of an outer span before each row; an inner span is inside one when that end is past its <c>pre</c>.
    /// </summary>
    public const string WindowSweepSql =
        "SELECT count(*) FROM (SELECT pre, is_inner, max(CASE WHEN is_outer THEN post END) OVER "
        + "(ORDER BY pre ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS cover FROM "
        + "(SELECT pre, post, fid IN (" + OuterFids + ") AS is_outer, fid IN (" + InnerFids + ") AS is_inner FROM spans "
        + "WHERE fid IN (" + OuterFids + ") OR fid IN (" + InnerFids + "))) WHERE is_inner AND cover > pre";

    /// <summary>Recursive CTE: every ancestor of every inner span, then the inner spans with an outer one among them.</summary>
    public const string RecursiveCteSql =
        "WITH RECURSIVE up(id, anc) AS (SELECT id, parent FROM spans WHERE fid IN (" + InnerFids + ") "
        + "UNION ALL SELECT up.id, p.parent FROM up JOIN spans p ON p.id = up.anc) "
        + "SELECT count(DISTINCT up.id) FROM up JOIN spans a ON a.id = up.anc WHERE a.fid IN (" + OuterFids + ")";

    private ExecutionTrace _trace = null!;
    private DuckDBConnection _duckDb = null!;

    /// <summary>Spans matched (checked equal across engines in setup).</summary>
    public int Matches { get; private set; }

    /// <summary>Loads the session, builds the spans and their intervals, fills DuckDB and checks that all engines agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _trace = AtfReader.Open(AtfBenchmarkSession.GetOrCreate());
        var spans = _trace.Spans;
        var tree = _trace.SpanTree;
        if (tree.SubtreeEndEvents is not { } ends)
            throw new InvalidOperationException("The session's spans are not nested; the interval numbers are missing.");

        _duckDb = DuckDbTraceTables.OpenInMemory();
        DuckDbTraceTables.Execute(_duckDb, "CREATE TABLE functions (fid UBIGINT, name VARCHAR)");
        using (var appender = _duckDb.CreateAppender("functions"))
        {
            foreach (ulong id in _trace.FunctionIds)
                appender.CreateRow().AppendValue(id).AppendValue(_trace.Symbols.GetName(id)).EndRow();
        }
        DuckDbTraceTables.Execute(_duckDb, "CREATE TABLE spans (id INTEGER, parent INTEGER, fid UBIGINT, pre INTEGER, post INTEGER)");
        using (var appender = _duckDb.CreateAppender("spans"))
        {
            var starts = spans.StartEvents;
            var parents = spans.Parents;
            for (int s = 0; s < spans.Count; s++)
            {
                appender.CreateRow().AppendValue(s).AppendValue(parents[s]).AppendValue(_trace.GetFunctionId(starts[s]))
                    .AppendValue(starts[s]).AppendValue(ends[s]).EndRow();
            }
        }

        long[] counts = [TraceQueryDescendant(), DuckDbIntervalJoin(), DuckDbWindowSweep(), DuckDbRecursiveCte()];
        if (counts.Any(c => c != counts[0]))
            throw new InvalidOperationException($"Engines disagree on '{Filter}': {string.Join(", ", counts)}.");
        Matches = checked((int)counts[0]);
        Console.WriteLine($"// matched: '{Filter}' {Matches:N0} of {spans.Count:N0} spans ({_trace.EventCount:N0} events)");
    }

    /// <summary>Releases DuckDB and the trace.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _duckDb.Dispose();
        _trace.Dispose();
    }

    /// <summary>TraceQuery: parse, compile both sides, sweep against the cached interval encoding, count.</summary>
    [Benchmark]
    public int TraceQueryDescendant() => EventFilter.Parse(Filter).Evaluate(_trace).Count;

    /// <summary>TraceQuery: the one-time cost of the interval encoding (cached per trace after the first structural filter).</summary>
    [Benchmark]
    public int TraceQuerySpanTreeBuild() => SpanTree.Build(_trace, _trace.Spans, forceUnnested: false).OpeningEvents.Length;

    /// <summary>DuckDB: <see cref="IntervalJoinSql"/>.</summary>
    [Benchmark(Baseline = true)]
    public long DuckDbIntervalJoin() => DuckDbTraceTables.ExecuteCount(_duckDb, IntervalJoinSql);

    /// <summary>DuckDB: <see cref="WindowSweepSql"/>.</summary>
    [Benchmark]
    public long DuckDbWindowSweep() => DuckDbTraceTables.ExecuteCount(_duckDb, WindowSweepSql);

    /// <summary>DuckDB: <see cref="RecursiveCteSql"/>.</summary>
    [Benchmark]
    public long DuckDbRecursiveCte() => DuckDbTraceTables.ExecuteCount(_duckDb, RecursiveCteSql);
}
