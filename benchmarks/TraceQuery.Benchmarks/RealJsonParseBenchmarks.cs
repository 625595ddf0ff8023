using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TraceQuery.Formats.Chrome;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Issue 18 item 5 on real bytes: the largest real Chrome trace of the fixtures and a ~100 MB real-shaped file made
/// from it (<see cref="RealShapedJsonFiles"/>), each read by <see cref="ChromeTraceReader"/> against one bare
/// <see cref="System.Text.Json.Utf8JsonReader"/> pass over the same bytes (the baseline), same run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class RealJsonParseBenchmarks
{
    private string _path = "";

    /// <summary>Which file: the real one as it is, or the real-shaped ~100 MB one.</summary>
    [Params("webpack5-real", "webpack5-shaped")]
    public string File { get; set; } = "";

    /// <summary>Makes (or finds) the file and reads it once so it sits in the page cache.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _path = PathOf(File);
        using var stream = System.IO.File.OpenRead(_path);
        stream.CopyTo(Stream.Null);
    }

    /// <summary>Baseline: one bare Utf8JsonReader pass, every number read.</summary>
    [Benchmark(Baseline = true)]
    public double Utf8JsonReaderPass() => BareJsonPass.Run(_path);

    /// <summary>ChromeTraceReader.Open: a whole ExecutionTrace.</summary>
    [Benchmark]
    public int ChromeTraceQuery()
    {
        using var trace = ChromeTraceReader.Open(_path);
        return trace.EventCount;
    }

    /// <summary>The same read as before issue 18's single pass (every event tokenized twice).</summary>
    [Benchmark]
    public int ChromeTraceQueryTwoPass() => JsonParseBenchmarks.TwoPass(() => ChromeTraceReader.Open(_path));

    private static string PathOf(string name) => name == "webpack5-real" ? RealShapedJsonFiles.LargestReal : RealShapedJsonFiles.RealShaped;

    private sealed class Columns : BenchmarkDotNet.Configs.ManualConfig
    {
        public Columns()
        {
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5)
                .WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
            AddColumn(new FileThroughputColumn(c => new FileInfo(PathOf((string)c.Parameters["File"])).Length));
        }
    }
}
