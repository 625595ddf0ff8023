using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TraceQuery.Model;

namespace TraceQuery.Benchmarks;

/// <summary>
/// The model-building cost every span-based reader (Chrome, OTLP, Perfetto, nettrace, the recorder) shares:
/// <see cref="TraceBuilder.Build"/> alone, from a builder filled in the iteration's setup (not timed) with prepared
/// spans, and the same spans added then built. Input: <c>TRACEQUERY_BUILDER_SPANS</c> spans (default 1,000,000, so
/// 2,000,000 events) on 8 threads, nested up to depth 12, handed over in end order as a Chrome reader sees complete
/// slices (children before parents), every 64th with a message and every 97th with an error status. Baseline in the
/// same run: sorting the spans' start times per thread (the least any builder must do). One invocation per iteration
/// (a builder builds once), in process.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class TraceBuilderBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithInvocationCount(1).WithUnrollFactor(1)
            .WithWarmupCount(2).WithIterationCount(9).WithToolchain(InProcessEmitToolchain.Instance));
    }

    private const int Threads = 8;
    private SpanRecord[] _spans = [];
    private TraceBuilder? _builder;

    private static int SpanCount =>
        int.TryParse(Environment.GetEnvironmentVariable("TRACEQUERY_BUILDER_SPANS"), out int n) && n > 0 ? n : 1_000_000;

    /// <summary>Makes the spans once.</summary>
    [GlobalSetup]
    public void Setup() => _spans = MakeSpans(SpanCount);

    /// <summary>A fresh builder holding every span, for <see cref="Build"/>.</summary>
    [IterationSetup(Target = nameof(Build))]
    public void Fill()
    {
        _builder = NewBuilder();
        foreach (ref readonly var span in _spans.AsSpan())
            _builder.AddSpan(span);
        GC.Collect();
    }

    /// <summary>Baseline: each thread's span start times copied and sorted.</summary>
    [Benchmark(Baseline = true)]
    public long SortStartTimes()
    {
        var starts = new ulong[_spans.Length];
        var threads = new int[_spans.Length];
        for (int i = 0; i < _spans.Length; i++)
        {
            starts[i] = _spans[i].StartNs;
            threads[i] = (int)_spans[i].ThreadId;
        }
        Array.Sort(threads, starts);
        return (long)starts[^1];
    }

    /// <summary><see cref="TraceBuilder.Build"/> of a builder already holding the spans.</summary>
    [Benchmark]
    public long Build()
    {
        using var trace = _builder!.Build();
        _builder = null;
        return trace.EventCount;
    }

    /// <summary>The spans added to a new builder, then built (what a reader pays after parsing).</summary>
    [Benchmark]
    public long AddSpansAndBuild()
    {
        var builder = NewBuilder();
        foreach (ref readonly var span in _spans.AsSpan())
            builder.AddSpan(span);
        using var trace = builder.Build();
        return trace.EventCount;
    }

    internal static TraceBuilder NewBuilder()
    {
        var builder = new TraceBuilder { Metadata = new TraceMetadata { SourceFormat = "bench" } };
        for (uint f = 1; f <= 200; f++)
            builder.AddSymbol(new SymbolInfo(f, $"function_{f}"));
        for (uint t = 1; t <= Threads; t++)
            builder.AddThread(t, $"thread {t}");
        return builder;
    }

    /// <summary>Deterministic nested spans, each thread's in end order (children before their parent).</summary>
    internal static SpanRecord[] MakeSpans(int count)
    {
        var random = new Random(18);
        var spans = new List<SpanRecord>(count);
        ulong nextId = 1;
        int perThread = count / Threads;
        for (uint thread = 1; thread <= Threads; thread++)
        {
            int target = thread == Threads ? count - (perThread * (Threads - 1)) : perThread;
            int made = 0;
            ulong time = 1_000;
            while (made < target)
                time = Emit(0, 0, time);

            ulong Emit(int depth, ulong parent, ulong start)
            {
                ulong id = nextId++;
                made++;
                ulong at = start + (ulong)random.Next(1, 50);
                int children = depth < 12 ? random.Next(0, 4) : 0;
                for (int c = 0; c < children && made < target; c++)
                    at = Emit(depth + 1, id, at) + (ulong)random.Next(0, 20);
                ulong end = at + (ulong)random.Next(1, 50);
                spans.Add(new SpanRecord
                {
                    SpanId = id,
                    ParentSpanId = parent,
                    ThreadId = thread,
                    FunctionId = (ulong)random.Next(1, 201),
                    StartNs = start,
                    EndNs = end,
                    Message = id % 64 == 0 ? "message" : null,
                    Error = id % 97 == 0 ? "failed" : null,
                });
                return end;
            }
        }
        return [.. spans];
    }
}
