using System.Diagnostics;
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
        var cpu = methods.Select(_ => new List<double>()).ToArray();
        var wall = methods.Select(_ => new List<double>()).ToArray();
        using var process = Process.GetCurrentProcess();
        for (int round = -3; round < rounds; round++)
        {
            for (int k = 0; k < methods.Length; k++)
            {
                int m = (k + Math.Max(round, 0)) % methods.Length;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                methods[m].Run();
                double elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                process.Refresh();
                if (round < 0)
                    continue; // warm-up rounds
                cpu[m].Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                wall[m].Add(elapsed);
            }
        }
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
            $"| median | {string.Join(" | ", Enumerable.Range(0, methods.Length).Select(m => $"{Median(wall[m]):F1} / {Median(cpu[m]):F0}"))} | {Median(wallRatios):F1}× (min {wallRatios.Min():F1}×) | {Median(cpuRatios):F1}× (min {cpuRatios.Min():F1}×) |"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
