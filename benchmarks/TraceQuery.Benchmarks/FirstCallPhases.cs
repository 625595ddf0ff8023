using System.Diagnostics;
using System.Globalization;
using TraceQuery.Analysis;
using TraceQuery.Analysis.Internals;
using TraceQuery.Filtering;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;
using TraceQuery.Summaries;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Where a first whole-trace <c>QueryEngine.Process</c> spends its time (issue 18 item 1), phase by phase on the cached
/// 10M-event ATF session with spans and span columns built: the per-span statistics, each detector, the exemplars, the
/// timeline, and the whole call after the shared analysis is forgotten. A diagnostic, not a benchmark: phases run one
/// after another on one thread, medians of <c>rounds</c> rounds: wall time (median, fastest, slowest) and the process's
/// CPU time (median; all its threads, so parallel phases count every core they use, and less sensitive than wall time to
/// other processes sharing the machine). Run with
/// <c>dotnet run -c Release --project benchmarks/TraceQuery.Benchmarks -- phases [rounds]</c>.
/// </summary>
public static class FirstCallPhases
{
    /// <summary>Prints the median milliseconds of each phase.</summary>
    public static void Run(int rounds)
    {
        using var trace = AtfReader.Open(AtfBenchmarkSession.GetOrCreate());
        _ = trace.Spans.Durations;
        var options = AnalyzerOptions.Default;
        var engine = new QueryEngine();
        _ = engine.Process(trace, 4096);
        var times = new Dictionary<string, List<double>>();
        var cpuTimes = new Dictionary<string, List<double>>();
        for (int r = 0; r < rounds; r++)
        {
            GC.Collect();
            SpanStatistics stats = null!;
            Time(times, cpuTimes, "span statistics (per span)", () => stats = SpanStatistics.Compute(trace, null, -1, CancellationToken.None));
            Time(times, cpuTimes, "span statistics (summaries only)", () => SpanStatistics.Compute(trace, null, -1, CancellationToken.None, perSpan: false));
            var exceptions = trace.IndicesOfKind(EventKind.Exception);
            Time(times, cpuTimes, "crash detector", () => CrashDetector.Detect(stats, exceptions, options).ToList());
            var hangs = new HashSet<int>();
            Time(times, cpuTimes, "hang detector", () => HangDetector.Detect(stats, options, hangs).ToList());
            Time(times, cpuTimes, "outlier detector", () => OutlierDetector.Detect(stats, options, hangs).ToList());
            Time(times, cpuTimes, "leak detector", () => LeakDetector.Detect(stats, options).ToList());
            Time(times, cpuTimes, "unmatched detector", () => UnmatchedDetector.Detect(stats, options).ToList());
            Time(times, cpuTimes, "hot spot detector", () => HotSpotDetector.Detect(stats, options, hangs).ToList());
            AnalysisResult analysis = null!;
            Time(times, cpuTimes, "Analyzer.Analyze (all of the above)", () => analysis = new Analyzer().Analyze(trace));
            Time(times, cpuTimes, "exemplars of every function", () => SpanExemplars.ForFunctions(trace, analysis.Functions));
            var all = EventFilter.Parse("").Evaluate(trace);
            Time(times, cpuTimes, "filter (all)", () => EventFilter.Parse("").Evaluate(trace));
            Time(times, cpuTimes, "timeline", () => NarrativeBuilder.Timeline(trace, all).ToArray());
            Time(times, cpuTimes, "whole-trace lines (busiest threads, folded pseudo-frames)", () => NarrativeBuilder.WholeTrace(trace));
            TraceMemo.Forget(trace);
            Time(times, cpuTimes, "QueryEngine.Process, first call", () => engine.Process(trace, 4096));
            Time(times, cpuTimes, "QueryEngine.Process, again", () => engine.Process(trace, 4096));
        }
        Console.WriteLine("| phase | wall ms, median | fastest | slowest | CPU ms, median |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (phase, list) in times)
        {
            list.Sort();
            var cpu = cpuTimes[phase];
            cpu.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {phase} | {list[list.Count / 2]:F1} | {list[0]:F1} | {list[^1]:F1} | {cpu[cpu.Count / 2]:F1} |"));
        }
    }

    private static void Time(Dictionary<string, List<double>> times, Dictionary<string, List<double>> cpuTimes, string phase, Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        action();
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        process.Refresh();
        double cpuMs = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
        if (!times.TryGetValue(phase, out var list))
            times[phase] = list = [];
        list.Add(ms);
        if (!cpuTimes.TryGetValue(phase, out var cpuList))
            cpuTimes[phase] = cpuList = [];
        cpuList.Add(cpuMs);
    }
}
