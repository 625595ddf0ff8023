using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TraceQuery.Recording;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Per-activity cost of <see cref="TraceRecorder"/>: one start + stop of an activity from a source nobody
/// listens to, from a source a do-nothing listener samples with all data (the baseline: the activity's own
/// cost), and from a source the recorder records (its ring wraps around in steady state). Allocation
/// columns show what the recorder adds per activity. Runs in process (a short job), as the benchmark is
/// small and a generated project takes minutes to build on a busy machine.
/// </summary>
[Config(typeof(InProcessShortRun))]
[MemoryDiagnoser]
public class RecorderBenchmarks
{
    /// <summary>A short run in the benchmark's own process.</summary>
    private sealed class InProcessShortRun : ManualConfig
    {
        public InProcessShortRun() => AddJob(Job.ShortRun.WithWarmupCount(5).WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance));
    }

    private readonly ActivitySource _unheard = new("TraceQuery.Benchmarks.Unheard");
    private readonly ActivitySource _plain = new("TraceQuery.Benchmarks.Plain");
    private readonly ActivitySource _recorded = new("TraceQuery.Benchmarks.Recorded");
    private ActivityListener? _noop;
    private TraceRecorder? _recorder;

    /// <summary>Registers the do-nothing listener and starts the recorder.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _noop = new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, _plain),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = _ => { },
            ActivityStopped = _ => { },
        };
        ActivitySource.AddActivityListener(_noop);
        _recorder = TraceRecorder.Start(sourceNames: [_recorded.Name]);
    }

    /// <summary>Stops listening.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _recorder?.Dispose();
        _noop?.Dispose();
    }

    /// <summary>No listener: StartActivity returns null.</summary>
    [Benchmark(OperationsPerInvoke = Activities)]
    public int NoListener() => Run(_unheard);

    /// <summary>Baseline: the activity is created, started and stopped, and the listener does nothing.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Activities)]
    public int NoOpListener() => Run(_plain);

    /// <summary>The recorder writes a start and a stop event into its ring.</summary>
    [Benchmark(OperationsPerInvoke = Activities)]
    public int Recorder() => Run(_recorded);

    private const int Activities = 100;

    private static int Run(ActivitySource source)
    {
        int started = 0;
        for (int i = 0; i < Activities; i++)
        {
            using var activity = source.StartActivity("handle_request");
            started += activity is null ? 0 : 1;
        }
        return started;
    }
}
