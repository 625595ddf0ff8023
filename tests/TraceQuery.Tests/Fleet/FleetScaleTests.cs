using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using TraceQuery.Fleet;
using TraceQuery.Generation;
using TraceQuery.Parquet;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Fleet;

/// <summary>
/// The scale check of the fleet (category <c>Stress</c>, left out of CI): a generated folder of 1,000 traces (default
/// 10,000 events each; <c>TRACEQUERY_FLEET_TRACES</c> and <c>TRACEQUERY_FLEET_EVENTS</c> change it) is exported to a
/// Parquet lake and fleet-summarized, each within a peak resident memory of 2 GB. Times only feed the report
/// (<c>TRACEQUERY_STRESS_REPORT=file</c>); nothing asserts on them.
/// </summary>
[TestClass]
public sealed class FleetScaleTests
{
    private const long MemoryBound = 2L << 30;

    [TestMethod]
    [TestCategory("Stress")]
    [Timeout(3_600_000, CooperativeCancellation = true)]
    public void ExportAndFleet_ThousandTraces_ThenWithinTwoGigabytesAndDuckDbCountsEveryEvent()
    {
        int traces = int.Parse(Environment.GetEnvironmentVariable("TRACEQUERY_FLEET_TRACES") ?? "1000", CultureInfo.InvariantCulture);
        int events = int.Parse(Environment.GetEnvironmentVariable("TRACEQUERY_FLEET_EVENTS") ?? "10000", CultureInfo.InvariantCulture);
        string root = TestPaths.NewTempDirectory("fleet-scale");
        string folder = Path.Combine(root, "runs"), lake = Path.Combine(root, "lake");
        try
        {
            var generate = Stopwatch.StartNew();
            Parallel.For(0, traces, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                // Every 50th run crashes, every 97th hangs: failures the fleet answer must group.
                var anomalies = (i % 50 == 17 ? TraceAnomalies.Crash : TraceAnomalies.None) | (i % 97 == 5 ? TraceAnomalies.Hang : TraceAnomalies.None);
                TraceFolders.Generate(Path.Combine(folder, $"run-{i:0000}"), anomalies, seed: i + 1, events: events);
            });
            generate.Stop();
            var set = TraceSet.FromPath(folder);
            Assert.AreEqual(traces, set.Count);
            double megabytes = set.TotalBytes / 1e6;

            ResetPeakMemory();
            var export = Stopwatch.StartNew();
            var exported = TraceLakeExporter.ExportAsync(set, lake).GetAwaiter().GetResult();
            export.Stop();
            long exportPeak = PeakMemory();
            Assert.AreEqual(0, exported.Failures.Count);
            Assert.AreEqual((long)traces * events, exported.Events);

            ResetPeakMemory();
            var fleet = Stopwatch.StartNew();
            var answer = new QueryEngine().SummarizeFleet(set, 4_000);
            fleet.Stop();
            long fleetPeak = PeakMemory();
            int crashes = Enumerable.Range(0, traces).Count(i => i % 50 == 17);
            StringAssert.StartsWith(answer.Summary, $"# Fleet of {traces:N0} traces in runs: {crashes:N0} failed ({crashes:N0} crashed, 0 unreadable)");
            StringAssert.Contains(answer.Summary, $"- [critical] crash in parse_header (indexer): {crashes:N0} of {traces:N0} runs; first in run-0017: ");

            var scan = Stopwatch.StartNew();
            long scanned;
            using (var connection = new DuckDBConnection("DataSource=:memory:"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT count(*) FROM read_parquet('{lake}/events/**/*.parquet', hive_partitioning = true)";
                scanned = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            }
            scan.Stop();
            Assert.AreEqual((long)traces * events, scanned);

            string report = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"| step | traces | events | input MB | time s | traces/s | MB/s | peak RSS MB |")
                .AppendLine("|---|---|---|---|---|---|---|---|")
                .AppendLine(Row("generate (ATF write)", traces, events, megabytes, generate.Elapsed, null))
                .AppendLine(Row("export to Parquet", traces, events, megabytes, export.Elapsed, exportPeak))
                .AppendLine(Row("fleet summary", traces, events, megabytes, fleet.Elapsed, fleetPeak))
                .AppendLine(Row("DuckDB count(*) over the lake", traces, events, exported.BytesWritten / 1e6, scan.Elapsed, null))
                .AppendLine(CultureInfo.InvariantCulture, $"\nlake: {exported.BytesWritten / 1e6:0.0} MB of Parquet for {megabytes:0.0} MB of ATF; {Environment.ProcessorCount} cores")
                .ToString();
            if (Environment.GetEnvironmentVariable("TRACEQUERY_STRESS_REPORT") is { } reportPath)
                File.WriteAllText(reportPath, report);
            Console.WriteLine(report);
            Assert.IsTrue(exportPeak <= MemoryBound, $"export peaked at {exportPeak / 1e6:0} MB");
            Assert.IsTrue(fleetPeak <= MemoryBound, $"fleet summary peaked at {fleetPeak / 1e6:0} MB");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Row(string step, int traces, int events, double megabytes, TimeSpan elapsed, long? peak) =>
        string.Create(CultureInfo.InvariantCulture,
            $"| {step} | {traces:N0} | {(long)traces * events:N0} | {megabytes:0.0} | {elapsed.TotalSeconds:0.0} | {traces / elapsed.TotalSeconds:0.0} | {megabytes / elapsed.TotalSeconds:0.0} | {(peak is { } p ? (p / 1e6).ToString("0", CultureInfo.InvariantCulture) : "—")} |");

    /// <summary>Resets the kernel's peak resident set size of this process (Linux: <c>/proc/self/clear_refs</c>), after a full collection.</summary>
    private static void ResetPeakMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (OperatingSystem.IsLinux())
            File.WriteAllText("/proc/self/clear_refs", "5");
    }

    /// <summary>Peak resident set size since the last reset (Linux <c>VmHWM</c>).</summary>
    private static long PeakMemory()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }
}
