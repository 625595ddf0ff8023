using System.Globalization;
using TraceQuery.Analysis;
using TraceQuery.Analysis.Internals;

namespace TraceQuery.Benchmarks;

/// <summary>
/// The per-function statistics of <see cref="FunctionStatsBenchmarks"/> measured by the process's CPU time as well as
/// wall time (<c>-- statscpu rounds</c>), in one process over the same trace and the same DuckDB table (also the
/// statistics on one thread and each percentile path's pass alone, so <see cref="Analyzer.ComputeFunctionStats"/> and the
/// pass it wraps are compared in the same process and rounds): on a 2-core
/// machine shared with other processes, wall time also measures the wait for a core, CPU time (all threads) the work.
/// Each round runs every method once, in rotating order, after a full collection that is not counted; every round's
/// DuckDB ÷ TraceQuery ratio is printed (wall and CPU), then the medians and the smallest ratio.
/// </summary>
public static class StatsCpuProbe
{
    /// <summary>Runs <paramref name="rounds"/> rounds (after one warm-up round) and prints each round and the medians.</summary>
    public static void Run(int rounds)
    {
        var bench = new FunctionStatsBenchmarks();
        bench.Setup();
        var serial = new Analyzer(new AnalyzerOptions { MaxDegreeOfParallelism = 1 });
        var trace = bench.Trace;
        var methods = new (string Name, Func<int> Run)[]
        {
            ("TraceQuery", () => bench.TraceQuery().Count),
            ("TraceQuery, one thread", () => serial.ComputeFunctionStats(trace).Count),
            ("BucketedPass", bench.TraceQueryBucketedPass),
            ("ScatteredPass", bench.TraceQueryScatteredPass),
            ("DuckDb", () => bench.DuckDb().Count),
        };
        var (cpu, wall) = CpuWallRounds.Measure(methods.Select(m => (Action)(() => m.Run())).ToList(), rounds, warmupRounds: 3);
        bench.Cleanup();

        int duck = methods.Length - 1;
        Console.WriteLine("| round | " + string.Join(" | ", methods.Select(m => $"{m.Name} wall / CPU ms")) + " | DuckDB ÷ TraceQuery wall | by CPU |");
        Console.WriteLine("|---:|" + string.Concat(Enumerable.Repeat("---:|", methods.Length + 2)));
        for (int r = 0; r < rounds; r++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r + 1} | {string.Join(" | ", Enumerable.Range(0, methods.Length).Select(m => $"{wall[m][r]:F1} / {cpu[m][r]:F0}"))} | {wall[duck][r] / wall[0][r]:F1}× | {cpu[duck][r] / cpu[0][r]:F1}× |"));
        }
        var wallRatios = Enumerable.Range(0, rounds).Select(r => wall[duck][r] / wall[0][r]).ToList();
        var cpuRatios = Enumerable.Range(0, rounds).Select(r => cpu[duck][r] / cpu[0][r]).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| median | {string.Join(" | ", Enumerable.Range(0, methods.Length).Select(m => $"{CpuWallRounds.Median(wall[m]):F1} / {CpuWallRounds.Median(cpu[m]):F0}"))} | {CpuWallRounds.Median(wallRatios):F1}× (min {wallRatios.Min():F1}×) | {CpuWallRounds.Median(cpuRatios):F1}× (min {cpuRatios.Min():F1}×) |"));
    }

}
