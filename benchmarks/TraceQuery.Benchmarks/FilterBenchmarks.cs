using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DuckDB.NET.Data;
using TraceQuery.Filtering;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Counting the events that match a filter (issue 3; targets ≤ 1 ms for one predicate, ≤ 5 ms for three with a
/// name pattern), against LINQ over a materialized <see cref="TraceEvent"/> array and DuckDB
/// <c>SELECT count(*) … WHERE</c> over the same events in an in-memory table. The trace is loaded, the array
/// built and the DuckDB tables filled once in setup, where all engines are checked to agree on every count.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FilterBenchmarks
{
    /// <summary>Filter text of the one-predicate case.</summary>
    public const string OnePredicateFilter = "kind:exception";

    /// <summary>Filter text of the one-predicate case that matches half the events (nothing for an engine to skip).</summary>
    public const string DenseOnePredicateFilter = "kind:return";

    /// <summary>Filter text of the three-predicate case: returns of <c>parse_header</c>/<c>parse_body</c> below depth 3.</summary>
    public const string ThreePredicateFilter = "fn:parse_* and depth>3 and kind:return";

    /// <summary>Issue 18's thread shape: one thread's shallow calls.</summary>
    public const string ThreadFilter = "thread:1 and kind:call and depth<=2";

    /// <summary>Issue 18's name-set shape: two substring globs joined by <c>or</c>.</summary>
    public const string NameSetFilter = "fn:*alloc* or fn:*free*";

    private const string ThreadShape = "ThreadKindDepth";
    private const string NameSetShape = "NameSet";
    private const string ThreadSql = "SELECT count(*) FROM events WHERE thread = 1 AND kind = 1 AND depth <= 2";
    private const string NameSetSql =
        "SELECT count(*) FROM events WHERE fid IN (SELECT fid FROM functions WHERE name ILIKE '%alloc%' OR name ILIKE '%free%')";

    private const string OnePredicate = "OnePredicate";
    private const string DenseOnePredicate = "OnePredicateDense";
    private const string ThreePredicates = "ThreePredicates";

    private const string OnePredicateSql = "SELECT count(*) FROM events WHERE kind = 3";
    private const string DenseOnePredicateSql = "SELECT count(*) FROM events WHERE kind = 2";
    private const string ThreePredicateSql =
        @"SELECT count(*) FROM events WHERE fid IN (SELECT fid FROM functions WHERE name ILIKE 'parse\_%' ESCAPE '\') AND depth > 3 AND kind = 2";

    private ExecutionTrace _trace = null!;
    private EventFilter _onePredicate = null!;
    private EventFilter _denseOnePredicate = null!;
    private EventFilter _threePredicates = null!;
    private TraceEvent[] _events = [];
    private Dictionary<ulong, string> _names = [];
    private Regex _nameRegex = null!;
    private DuckDBConnection _duckDb = null!;

    /// <summary>Events matched by <see cref="OnePredicateFilter"/> (checked equal across engines in setup).</summary>
    public int OnePredicateMatches { get; private set; }

    /// <summary>Events matched by <see cref="DenseOnePredicateFilter"/>.</summary>
    public int DenseOnePredicateMatches { get; private set; }

    /// <summary>Events matched by <see cref="ThreePredicateFilter"/>.</summary>
    public int ThreePredicateMatches { get; private set; }

    /// <summary>Events matched by <see cref="ThreadFilter"/>.</summary>
    public int ThreadMatches { get; private set; }

    /// <summary>Events matched by <see cref="NameSetFilter"/>.</summary>
    public int NameSetMatches { get; private set; }

    /// <summary>Loads the session, materializes the event array and the name map, fills DuckDB and checks that all engines agree.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _trace = AtfReader.Open(AtfBenchmarkSession.GetOrCreate());
        _onePredicate = EventFilter.Parse(OnePredicateFilter);
        _denseOnePredicate = EventFilter.Parse(DenseOnePredicateFilter);
        _threePredicates = EventFilter.Parse(ThreePredicateFilter);

        _events = MaterializeEvents(_trace);
        _names = [];
        foreach (ulong id in _trace.FunctionIds)
            _names[id] = _trace.Symbols.GetName(id);
        _nameRegex = GlobToRegex("parse_*");

        _duckDb = DuckDbTraceTables.OpenInMemory();
        DuckDbTraceTables.LoadEvents(_duckDb, _trace);

        OnePredicateMatches = Agree(OnePredicateFilter,
            TraceQueryOnePredicate(), TraceQueryOnePredicatePreParsed(), LinqOnePredicate(), DuckDbOnePredicate());
        DenseOnePredicateMatches = Agree(DenseOnePredicateFilter,
            TraceQueryOnePredicateDense(), LinqOnePredicateDense(), DuckDbOnePredicateDense());
        ThreePredicateMatches = Agree(ThreePredicateFilter,
            TraceQueryThreePredicates(), TraceQueryThreePredicatesPreParsed(), LinqThreePredicates(), LinqThreePredicatesRegex(), DuckDbThreePredicates());
        ThreadMatches = Agree(ThreadFilter, TraceQueryThread(), LinqThread(), DuckDbThread());
        NameSetMatches = Agree(NameSetFilter, TraceQueryNameSet(), LinqNameSet(), DuckDbNameSet());
        Console.WriteLine($"// matched: '{ThreadFilter}' {ThreadMatches:N0}, '{NameSetFilter}' {NameSetMatches:N0}");
        Console.WriteLine($"// matched: '{OnePredicateFilter}' {OnePredicateMatches:N0}, '{DenseOnePredicateFilter}' {DenseOnePredicateMatches:N0}, '{ThreePredicateFilter}' {ThreePredicateMatches:N0} of {_trace.EventCount:N0} events");
    }

    /// <summary>Releases DuckDB and the trace.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _duckDb.Dispose();
        _trace.Dispose();
    }

    /// <summary>LINQ: <c>Count</c> with a kind test over the event array.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(OnePredicate)]
    public int LinqOnePredicate() => _events.Count(e => e.Kind == EventKind.Exception);

    /// <summary>TraceQuery: parse, compile and scan (what an agent's call pays).</summary>
    [Benchmark, BenchmarkCategory(OnePredicate)]
    public int TraceQueryOnePredicate() => EventFilter.Parse(OnePredicateFilter).Evaluate(_trace).Count;

    /// <summary>TraceQuery: compile and scan a filter parsed in setup.</summary>
    [Benchmark, BenchmarkCategory(OnePredicate)]
    public int TraceQueryOnePredicatePreParsed() => _onePredicate.Evaluate(_trace).Count;

    /// <summary>DuckDB: <c>SELECT count(*) FROM events WHERE kind = 3</c>.</summary>
    [Benchmark, BenchmarkCategory(OnePredicate)]
    public long DuckDbOnePredicate() => DuckDbTraceTables.ExecuteCount(_duckDb, OnePredicateSql);

    /// <summary>LINQ: <c>Count</c> of returns.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(DenseOnePredicate)]
    public int LinqOnePredicateDense() => _events.Count(e => e.Kind == EventKind.Return);

    /// <summary>TraceQuery: parse, compile and scan <c>kind:return</c>.</summary>
    [Benchmark, BenchmarkCategory(DenseOnePredicate)]
    public int TraceQueryOnePredicateDense() => EventFilter.Parse(DenseOnePredicateFilter).Evaluate(_trace).Count;

    /// <summary>DuckDB: <c>SELECT count(*) FROM events WHERE kind = 2</c>.</summary>
    [Benchmark, BenchmarkCategory(DenseOnePredicate)]
    public long DuckDbOnePredicateDense() => DuckDbTraceTables.ExecuteCount(_duckDb, DenseOnePredicateSql);

    /// <summary>LINQ: the thread slot, kind and depth of every event.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(ThreadShape)]
    public int LinqThread() => _events.Count(e => e.ThreadId == 1 && e.Kind == EventKind.Call && e.CallDepth <= 2);

    /// <summary>TraceQuery: parse, compile and scan (the thread term is an index range).</summary>
    [Benchmark, BenchmarkCategory(ThreadShape)]
    public int TraceQueryThread() => EventFilter.Parse(ThreadFilter).Evaluate(_trace).Count;

    /// <summary>DuckDB: <c>thread = 1 AND kind = 1 AND depth &lt;= 2</c>.</summary>
    [Benchmark, BenchmarkCategory(ThreadShape)]
    public long DuckDbThread() => DuckDbTraceTables.ExecuteCount(_duckDb, ThreadSql);

    /// <summary>LINQ: the name through the precomputed map and two case-insensitive substring tests.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(NameSetShape)]
    public int LinqNameSet() => _events.Count(e =>
    {
        string name = _names[e.FunctionId];
        return name.Contains("alloc", StringComparison.OrdinalIgnoreCase) || name.Contains("free", StringComparison.OrdinalIgnoreCase);
    });

    /// <summary>TraceQuery: parse, compile (the globs matched once per function) and scan.</summary>
    [Benchmark, BenchmarkCategory(NameSetShape)]
    public int TraceQueryNameSet() => EventFilter.Parse(NameSetFilter).Evaluate(_trace).Count;

    /// <summary>DuckDB: the function ids whose name matches either <c>ILIKE</c> pattern.</summary>
    [Benchmark, BenchmarkCategory(NameSetShape)]
    public long DuckDbNameSet() => DuckDbTraceTables.ExecuteCount(_duckDb, NameSetSql);

    /// <summary>LINQ: cheap tests first, then the name through the precomputed map and a prefix check.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(ThreePredicates)]
    public int LinqThreePredicates() =>
        _events.Count(e => e.Kind == EventKind.Return && e.CallDepth > 3 && _names[e.FunctionId].StartsWith("parse_", StringComparison.OrdinalIgnoreCase));

    /// <summary>LINQ as above, with the glob compiled to a regex (what a general glob filter would do).</summary>
    [Benchmark, BenchmarkCategory(ThreePredicates)]
    public int LinqThreePredicatesRegex() =>
        _events.Count(e => e.Kind == EventKind.Return && e.CallDepth > 3 && _nameRegex.IsMatch(_names[e.FunctionId]));

    /// <summary>TraceQuery: parse, compile (names matched once per function) and scan.</summary>
    [Benchmark, BenchmarkCategory(ThreePredicates)]
    public int TraceQueryThreePredicates() => EventFilter.Parse(ThreePredicateFilter).Evaluate(_trace).Count;

    /// <summary>TraceQuery: compile and scan a filter parsed in setup.</summary>
    [Benchmark, BenchmarkCategory(ThreePredicates)]
    public int TraceQueryThreePredicatesPreParsed() => _threePredicates.Evaluate(_trace).Count;

    /// <summary>DuckDB: names through a <c>fid IN (SELECT … ILIKE 'parse\_%')</c> subquery, then depth and kind.</summary>
    [Benchmark, BenchmarkCategory(ThreePredicates)]
    public long DuckDbThreePredicates() => DuckDbTraceTables.ExecuteCount(_duckDb, ThreePredicateSql);

    /// <summary>The events in their on-disk form, thread by thread (the same order as the trace's columns).</summary>
    internal static TraceEvent[] MaterializeEvents(ExecutionTrace trace)
    {
        var events = new TraceEvent[trace.EventCount];
        var functionIds = trace.FunctionIds;
        foreach (var thread in trace.Threads)
        {
            for (int i = thread.Start; i < thread.End; i++)
            {
                events[i] = new TraceEvent((ulong)trace.Timestamps[i], functionIds[trace.FunctionOrdinals[i]], thread.Id,
                    (EventKind)trace.Kinds[i], trace.Depths[i], trace.DetailSeqs[i]);
            }
        }
        return events;
    }

    /// <summary>A case-insensitive whole-name regex for a shell glob (<c>*</c>, <c>?</c>).</summary>
    private static Regex GlobToRegex(string glob) => new(
        "^" + Regex.Escape(glob).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
        RegexOptions.Compiled | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static int Agree(string filter, params long[] counts)
    {
        if (counts.Any(c => c != counts[0]))
            throw new InvalidOperationException($"Engines disagree on '{filter}': {string.Join(", ", counts)}.");
        return checked((int)counts[0]);
    }
}
