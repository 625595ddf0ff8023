using System.Globalization;
using System.Runtime.CompilerServices;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Managed memory held per event (issue 18: ≤ 32 bytes with spans), measured with <see cref="GC.GetTotalMemory(bool)"/>
/// after full collections around each step on the cached ATF session: opened, spans paired, the span columns built (held
/// weakly by the trace: measured while read and after a full collection), one whole-trace query answered (its analysis
/// then shared per trace). Run with
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
        // The span columns are a weakly held cache: measured while a reader holds them, then after a full collection.
        ReportWhileRead(trace, baseline);
        Report("the same after a full collection (weakly held columns freed)", trace, baseline);
        var result = engine.Process(trace, 4096);
        Report($"after Process (analysis shared; {result.TokenCount} tokens)", trace, baseline);
        Analysis.TraceMemo.Forget(trace);
        Report("shared analysis forgotten", trace, baseline);
    }

    /// <summary>
    /// Reports with the span columns held by this frame, which is gone when it returns (a method run once stays
    /// unoptimized, and such code keeps every local it ever held alive until it returns).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ReportWhileRead(ExecutionTrace trace, long baseline)
    {
        var durations = trace.Spans.DurationColumn();
        var ordinals = trace.Spans.FunctionOrdinalColumn();
        Report("span duration and function columns, while read", trace, baseline);
        GC.KeepAlive(durations);
        GC.KeepAlive(ordinals);
    }

    private static void Report(string step, ExecutionTrace trace, long baseline)
    {
        long held = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{step}: {held / (1024.0 * 1024):F1} MiB held, {(double)held / trace.EventCount:F2} bytes per event ({trace.EventCount:N0} events, {trace.Spans.Count:N0} spans)"));
    }
}
