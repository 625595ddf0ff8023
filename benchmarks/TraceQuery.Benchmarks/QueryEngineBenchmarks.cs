using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using TraceQuery.Analysis;
using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.Summaries;
using Stopwatch = System.Diagnostics.Stopwatch;

namespace TraceQuery.Benchmarks;

/// <summary>
/// A budgeted whole-trace summary, <c>QueryEngine.Process(trace, 4096)</c> (issue 5; target ≤ 100 ms at 10M events,
/// trace loaded and spans paired in setup), and how much of it is tokenization: <see cref="TokenCountingOnly"/>
/// replays the exact tokenizer calls of one <see cref="Process"/> call (its Ratio is the share), and the
/// <see cref="TokenizationShareColumn"/> shows the share measured by a <see cref="TimedTokenCounter"/> inside Process.
/// </summary>
/// <remarks>
/// The clean 10M trace is the cached ATF session; the others are generated in memory with the same seed and
/// thread count (<see cref="TraceAnomalies.All"/> plants a crash, a hang, an outlier, a leak and a hot loop).
/// </remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 10)]
[MemoryDiagnoser]
[TokenizationShareColumn]
public class QueryEngineBenchmarks
{
    private const int TokenBudget = 4096;

    private ExecutionTrace _trace = null!;
    private TimedTokenCounter _counter = null!;
    private QueryEngine _engine = null!;
    private TokenizerCall[] _calls = [];
    private long _processTicks;

    // The span columns are a weak cache (issue 18 item 7), and BenchmarkDotNet forces a full collection before each
    // iteration: holding them here keeps "spans and their columns stay built" true, so Process measures the analysis,
    // as it did before the columns became weak (their rebuild is a phase of its own in `-- phases`).
    private long[] _heldDurations = [];
    private int[] _heldFunctionOrdinals = [];

    /// <summary>Events in the trace.</summary>
    [Params(1_000_000, 10_000_000)]
    public int EventCount { get; set; }

    /// <summary>Planted anomalies (more findings, more lines to rank and price).</summary>
    [Params(TraceAnomalies.None, TraceAnomalies.All)]
    public TraceAnomalies Anomalies { get; set; }

    /// <summary>Clears the share measured by an earlier run, then does the common setup.</summary>
    [GlobalSetup(Target = nameof(Process))]
    public void SetupProcess()
    {
        string shareFile = TokenizationShareColumn.ShareFile(EventCount, Anomalies);
        Directory.CreateDirectory(Path.GetDirectoryName(shareFile)!);
        File.Delete(shareFile);
        Setup();
    }

    /// <summary>Loads or generates the trace, pairs its spans, and records the tokenizer calls of one query.</summary>
    [GlobalSetup(Targets = [nameof(TokenCountingOnly), nameof(ProcessAgain)])]
    public void Setup()
    {
        _trace = EventCount == AtfBenchmarkSession.EventCount && Anomalies == TraceAnomalies.None
            ? AtfReader.Open(AtfBenchmarkSession.GetOrCreate())
            : TraceGenerator.Generate(EventCount, new TraceGeneratorOptions
            {
                Seed = AtfBenchmarkSession.Seed,
                Threads = AtfBenchmarkSession.ThreadCount,
                Anomalies = Anomalies,
            });
        _heldDurations = _trace.Spans.DurationColumn();
        _heldFunctionOrdinals = _trace.Spans.FunctionOrdinalColumn();

        _counter = new TimedTokenCounter(new TokenCounter("gpt-4o"));
        _engine = new QueryEngine(tokenCounter: _counter);
        _counter.StartRecording();
        var result = _engine.Process(_trace, TokenBudget);
        _calls = _counter.StopRecording();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// {_trace.EventCount:N0} events, {Anomalies}: {result.TokenCount} of {result.TokenBudget} tokens, {result.Summary.Split('\n').Length} lines, {result.Findings.Count} findings, truncated {result.DidTruncate}; {_calls.Length} tokenizer calls over {_calls.Sum(c => (long)c.Text.Length):N0} characters"));
        _counter.Reset();
    }

    /// <summary>Prints the tokenizer's share of all timed Process calls and leaves it for <see cref="TokenizationShareColumn"/>.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        if (_processTicks > 0)
        {
            double share = (double)_counter.ElapsedTicks / _processTicks;
            string line = string.Create(CultureInfo.InvariantCulture,
                $"{share:R} tokenizer {Stopwatch.GetElapsedTime(0, _counter.ElapsedTicks).TotalMilliseconds:F1} ms of Process {Stopwatch.GetElapsedTime(0, _processTicks).TotalMilliseconds:F1} ms, {_counter.Calls} calls, {_counter.Characters:N0} characters");
            Console.WriteLine($"// Tokenization share ({EventCount:N0} events, {Anomalies}): {line}");
            File.WriteAllText(TokenizationShareColumn.ShareFile(EventCount, Anomalies), line);
        }
        _heldDurations = [];
        _heldFunctionOrdinals = [];
        _trace.Dispose();
    }

    /// <summary>Forgets the analysis shared per trace, so every <see cref="Process"/> iteration is a first call (spans stay paired).</summary>
    [IterationSetup(Target = nameof(Process))]
    public void ForgetSharedAnalysis() => TraceMemo.Forget(_trace);

    /// <summary>
    /// A first call: filter (all), analysis with detectors, narrative, budget fitting with exact token counts. The analysis
    /// shared per trace is forgotten before each iteration; the spans and their duration column are not.
    /// </summary>
    [Benchmark(Baseline = true)]
    public QueryResult Process()
    {
        long start = Stopwatch.GetTimestamp();
        var result = _engine.Process(_trace, TokenBudget);
        _processTicks += Stopwatch.GetTimestamp() - start;
        return result;
    }

    /// <summary>The same call again on the same trace: the whole trace's analysis, exemplars and timeline are shared (issue 18: ≤ 100 ms at 10M).</summary>
    [Benchmark]
    public QueryResult ProcessAgain() => _engine.Process(_trace, TokenBudget);

    /// <summary>Only the tokenizer work of one Process call: its recorded calls replayed on the bare <see cref="TokenCounter"/>.</summary>
    [Benchmark]
    public long TokenCountingOnly()
    {
        long total = 0;
        foreach (var call in _calls)
            total += call.Replay(_counter.Inner);
        return total;
    }
}
