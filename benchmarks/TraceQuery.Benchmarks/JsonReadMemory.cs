using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using TraceQuery.Formats.Chrome;
using TraceQuery.Formats.Otlp;
using TraceQuery.Model;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Peak memory while reading a JSON trace against the memory the finished trace holds (issue 18 item 5: peak ≤ 2× the
/// finished trace). One file per process (<c>-- jsonmemory chrome|otlp|real|shaped</c>), so the process's peak working
/// set is this read's: a sampler thread polls the managed heap (<see cref="GC.GetTotalMemory(bool)"/> without a
/// collection, garbage included) and the working set every millisecond while the reader runs; the trace's own size is
/// the managed memory still held after a full collection. Also prints the bytes allocated during the read.
/// </summary>
public static class JsonReadMemory
{
    /// <summary>Reads the named file <paramref name="times"/> times (for a profiler) and prints each time and the best.</summary>
    public static void Probe(string which, int times, bool twoPass)
    {
        (string path, bool otlp) = File(which);
        Formats.Internals.JsonStream.TwoPassForComparison = twoPass;
        long best = long.MaxValue;
        for (int i = 0; i < times; i++)
        {
            var watch = Stopwatch.StartNew();
            using (otlp ? OtlpJsonReader.Open(path) : ChromeTraceReader.Open(path))
                watch.Stop();
            best = Math.Min(best, watch.ElapsedMilliseconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{which}{(twoPass ? " two-pass" : "")}: {watch.ElapsedMilliseconds} ms"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{which}{(twoPass ? " two-pass" : "")}: best {best} ms"));
    }

    private static (string Path, bool Otlp) File(string which) => which switch
    {
        "chrome" => (JsonBenchmarkFiles.Chrome, false),
        "otlp" => (JsonBenchmarkFiles.Otlp, true),
        "real" => (RealShapedJsonFiles.LargestReal, false),
        "shaped" => (RealShapedJsonFiles.RealShaped, false),
        _ => throw new ArgumentException("expected chrome, otlp, real, shaped, perfetto or perfettolarge", nameof(which)),
    };

    /// <summary>Reads the named file once and prints one line of figures.</summary>
    public static void Run(string which)
    {
        if (which == "builder")
        {
            RunBuilder();
            return;
        }
        if (which is "perfetto" or "perfettolarge")
        {
            RunPerfetto(which);
            return;
        }
        (string path, bool otlp) = File(which);
        // Warm the reader's code up on the small real file so the JIT's memory is not counted as the read's.
        using (ChromeTraceReader.Open(RealShapedJsonFiles.LargestReal))
        {
        }
        Measure(which, fileBytes: new FileInfo(path).Length, () => otlp ? OtlpJsonReader.Open(path) : ChromeTraceReader.Open(path));
    }

    /// <summary>
    /// The Perfetto reader the same way: the committed Chromium recording (<c>perfetto</c>) or the ~64 MB real-shaped copy
    /// <see cref="PerfettoReadBenchmarks"/> makes from it (<c>perfettolarge</c>), decompressed into memory before the
    /// baseline is taken, so the bytes themselves are not counted as the read's.
    /// </summary>
    private static void RunPerfetto(string which)
    {
        byte[] bytes = PerfettoReadBenchmarks.FixtureBytes();
        using (Formats.Perfetto.PerfettoTraceReader.Read(new MemoryStream(bytes, writable: false), "warm-up"))
        {
        }
        if (which == "perfettolarge")
            bytes = PerfettoReadBenchmarks.RealShaped(bytes, PerfettoReadBenchmarks.LargeBytes);
        Measure(which, bytes.Length, () => Formats.Perfetto.PerfettoTraceReader.Read(new MemoryStream(bytes, writable: false), which));
        GC.KeepAlive(bytes);
    }

    /// <summary>
    /// <c>-- jsonmemory builder</c>: <see cref="TraceBuilder"/> alone, on <see cref="TraceBuilderBenchmarks"/>'s prepared
    /// spans (made before the baseline, as a reader's records would be): the spans added, then <c>Build</c>; prints what
    /// the filled builder holds, the peak while adding and building, and the finished trace.
    /// </summary>
    private static void RunBuilder()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("TRACEQUERY_BUILDER_SPANS"), out int n) && n > 0 ? n : 1_000_000;
        var spans = TraceBuilderBenchmarks.MakeSpans(count);
        using (Fill(TraceBuilderBenchmarks.MakeSpans(10_000)).Build())
        {
        }
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peakHeap = baseline;
        bool done = false;
        var sampler = new Thread(() =>
        {
            while (!Volatile.Read(ref done))
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        sampler.Start();
        var watch = Stopwatch.StartNew();
        var (trace, filled) = FillAndBuild(spans, baseline);
        watch.Stop();
        Volatile.Write(ref done, true);
        sampler.Join();
        long held = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        const double MiB = 1024.0 * 1024;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"builder: {count:N0} spans, {trace.EventCount:N0} events, added and built in {watch.ElapsedMilliseconds} ms; " +
            $"filled builder {filled / MiB:F1} MiB ({(double)filled / count:F0} B per span, garbage included); finished trace holds {held / MiB:F1} MiB; " +
            $"peak managed heap while adding and building {(peakHeap - baseline) / MiB:F1} MiB ({(double)(peakHeap - baseline) / held:F2}× the trace)"));
        GC.KeepAlive(spans);
        trace.Dispose();

        // Its own frame, so no stack slot of this one keeps the builder alive once the trace is built.
        [MethodImpl(MethodImplOptions.NoInlining)]
        static (ExecutionTrace Trace, long Filled) FillAndBuild(SpanRecord[] spans, long baseline)
        {
            var builder = Fill(spans);
            long filled = GC.GetTotalMemory(forceFullCollection: false) - baseline;
            return (builder.Build(), filled);
        }

        static TraceBuilder Fill(SpanRecord[] spans)
        {
            var builder = TraceBuilderBenchmarks.NewBuilder();
            foreach (ref readonly var span in spans.AsSpan())
                builder.AddSpan(span);
            return builder;
        }
    }

    private static void Measure(string which, long fileBytes, Func<ExecutionTrace> read)
    {
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        long workingSetBefore = process.WorkingSet64;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peakHeap = baseline, peakWorkingSet = workingSetBefore;
        bool done = false;
        var sampler = new Thread(() =>
        {
            while (!Volatile.Read(ref done))
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
                peakWorkingSet = Math.Max(peakWorkingSet, Environment.WorkingSet);
                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        sampler.Start();
        var watch = Stopwatch.StartNew();
        ExecutionTrace trace = read();
        watch.Stop();
        Volatile.Write(ref done, true);
        sampler.Join();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long held = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        const double MiB = 1024.0 * 1024;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{which}: {fileBytes / 1e6:F1} MB file, {trace.EventCount:N0} events, read in {watch.ElapsedMilliseconds} ms; " +
            $"finished trace holds {held / MiB:F1} MiB; peak managed heap during the read {(peakHeap - baseline) / MiB:F1} MiB " +
            $"({(double)(peakHeap - baseline) / held:F2}× the trace); working set grew by up to {(peakWorkingSet - workingSetBefore) / MiB:F1} MiB " +
            $"({(double)(peakWorkingSet - workingSetBefore) / held:F2}×); allocated {allocated / MiB:F1} MiB"));
        GC.KeepAlive(trace);
        trace.Dispose();
    }
}
