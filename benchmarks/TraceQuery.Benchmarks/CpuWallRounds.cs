using System.Diagnostics;

namespace TraceQuery.Benchmarks;

/// <summary>
/// The probes' shared measuring loop (<see cref="JsonCpuProbe"/>, <see cref="StatsCpuProbe"/>): every method once per round
/// in rotating order, a full collection before each, the process's CPU time and the wall time of each call. On a shared,
/// loaded machine the CPU time is what the work costs; the wall time is mostly waiting for a core.
/// </summary>
internal static class CpuWallRounds
{
    /// <summary>Runs <paramref name="warmupRounds"/> unrecorded rounds, then <paramref name="rounds"/> recorded ones.</summary>
    /// <returns>Per method, its CPU and wall milliseconds, one entry per recorded round, in round order.</returns>
    public static (List<double>[] Cpu, List<double>[] Wall) Measure(IReadOnlyList<Action> methods, int rounds, int warmupRounds)
    {
        var cpu = methods.Select(_ => new List<double>()).ToArray();
        var wall = methods.Select(_ => new List<double>()).ToArray();
        using var process = Process.GetCurrentProcess();
        for (int round = -warmupRounds; round < rounds; round++)
        {
            for (int k = 0; k < methods.Count; k++)
            {
                int m = (k + Math.Max(round, 0)) % methods.Count;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                long start = Stopwatch.GetTimestamp();
                methods[m]();
                double elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                process.Refresh();
                if (round < 0)
                    continue; // warm-up round
                cpu[m].Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
                wall[m].Add(elapsed);
            }
        }
        return (cpu, wall);
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
