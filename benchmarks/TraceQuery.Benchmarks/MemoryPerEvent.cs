using System.Globalization;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Managed memory held per event (issue 18: ≤ 32 bytes with spans), measured with <see cref="GC.GetTotalMemory(bool)"/>
/// after full collections around each step on the cached ATF session: opened, spans paired, the span columns built, one
/// whole-trace query answered (its analysis then shared per trace). Run with
/// <c>dotnet run -c Release --project benchmarks/TraceQuery.Benchmarks -- memory</c>.
/// </summary>
public static class MemoryPerEvent
{
    /// <summary>Prints one line per step: bytes held, and per event.</summary>
    public static void Run()
    {
        string session = AtfBenchmarkSession.GetOrCreate();
        long start = GC.GetTotalMemory(forceFullCollection: true);
        // The o200k tokenizer a query counts with is loaded once per process (a static cache of encodings), whatever
        // the trace: loaded before the baseline and reported on its own line, not per event.
        var engine = new QueryEngine();
        int tokens = new Summaries.TokenCounter("gpt-4o").CountTokens("warm the tokenizer up");
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tokenizer loaded (process-wide, {tokens} tokens counted): {(baseline - start) / (1024.0 * 1024):F1} MiB held, not per event"));
        using var trace = AtfReader.Open(session);
        Report("opened", trace, baseline);
        _ = trace.Spans;
        Report("spans paired", trace, baseline);
        _ = trace.Spans.Durations;
        Report("span duration and function columns", trace, baseline);
        var result = engine.Process(trace, 4096);
        Report($"after Process (analysis shared; {result.TokenCount} tokens)", trace, baseline);
        Analysis.TraceMemo.Forget(trace);
        Report("shared analysis forgotten", trace, baseline);
    }

    private static void Report(string step, ExecutionTrace trace, long baseline)
    {
        long held = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{step}: {held / (1024.0 * 1024):F1} MiB held, {(double)held / trace.EventCount:F2} bytes per event ({trace.EventCount:N0} events, {trace.Spans.Count:N0} spans)"));
    }
}
