using System.Diagnostics;
using System.Globalization;
using TraceQuery.Formats.Atf;

namespace TraceQuery.Benchmarks;

/// <summary>
/// `-- atfprobe rounds`: times the ATF open's pieces (plain read, open with and without checksums, a bare walk over the
/// mapping, filling fresh columns) by wall and process CPU time, to see where an open spends what a plain read does not.
/// Exploration only; the committed figures come from <see cref="AtfOpenBenchmarks"/>.
/// </summary>
public static class AtfOpenProbe
{
    public static void Run(int rounds, string? only = null)
    {
        var bench = new AtfOpenBenchmarks();
        bench.Setup();
        var cases = new (string Name, Func<long> Body)[]
        {
            ("plain read", bench.PlainReadIntoMemory),
            ("open", () => bench.AtfReaderOpen()),
            ("open, no checksums", () => bench.AtfReaderOpenNoChecksums()),
            ("open, scalar pass", () => bench.AtfReaderOpenScalar()),
            ("open, read calls", () => bench.AtfReaderOpenReadCalls()),
            ("open, populated mapping", () => bench.AtfReaderOpenPopulatedMapping()),
            ("fill 200 MB fresh columns", FillColumns),
        };
        if (only is not null)
            cases = cases.Where(c => c.Name == only).ToArray();
        var wall = cases.Select(_ => new List<double>()).ToArray();
        var cpu = cases.Select(_ => new List<double>()).ToArray();
        var faults = cases.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < rounds; r++)
        {
            for (int c = 0; c < cases.Length; c++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var p = Process.GetCurrentProcess();
                var cpu0 = p.TotalProcessorTime;
                long faults0 = MinorFaults();
                long t0 = Stopwatch.GetTimestamp();
                cases[c].Body();
                double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                p.Refresh();
                wall[c].Add(ms);
                cpu[c].Add((p.TotalProcessorTime - cpu0).TotalMilliseconds);
                faults[c].Add(MinorFaults() - faults0);
            }
        }
        for (int c = 0; c < cases.Length; c++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{cases[c].Name,-28} wall median {CpuWallRounds.Median(wall[c]),8:F1} ms  cpu median {CpuWallRounds.Median(cpu[c]),8:F1} ms  minor faults median {CpuWallRounds.Median(faults[c]),8:F0}  cpu {string.Join(' ', cpu[c].Select(w => w.ToString("F0", CultureInfo.InvariantCulture)))}  walls {string.Join(' ', wall[c].Select(w => w.ToString("F0", CultureInfo.InvariantCulture)))}"));
        }
    }

    private static long FillColumns()
    {
        int n = AtfBenchmarkSession.EventCount;
        var ts = GC.AllocateUninitializedArray<long>(n);
        var ord = GC.AllocateUninitializedArray<int>(n);
        var k = GC.AllocateUninitializedArray<byte>(n);
        var d = GC.AllocateUninitializedArray<uint>(n);
        var s = GC.AllocateUninitializedArray<uint>(n);
        Parallel.For(0, 2, part =>
        {
            int from = part * (n / 2), to = part == 1 ? n : n / 2;
            for (int i = from; i < to; i++)
            {
                ts[i] = i;
                ord[i] = i;
                k[i] = (byte)i;
                d[i] = (uint)i;
                s[i] = (uint)i;
            }
        });
        return ts[^1] + ord[^1] + k[^1] + d[^1] + s[^1];
    }

    /// <summary>The process's minor page faults so far (Linux /proc/self/stat field 10), or 0 elsewhere.</summary>
    private static long MinorFaults()
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        string stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }

}
