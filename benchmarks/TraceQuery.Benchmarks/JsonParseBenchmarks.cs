using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TraceQuery.Formats.Chrome;
using TraceQuery.Formats.Otlp;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Reading a ~100 MB Chrome Trace Event JSON file and a ~100 MB OTLP/JSON file into a queryable
/// <see cref="Model.ExecutionTrace"/> (streaming reader, spans paired), against <see cref="JsonSerializer"/>
/// deserializing the same file into plain classes (no trace built), in the same run. Files come from the page cache.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class JsonParseBenchmarks
{
    private string _chrome = "";
    private string _otlp = "";

    /// <summary>Generates (or finds) the files and reads them once so they sit in the page cache.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _chrome = JsonBenchmarkFiles.Chrome;
        _otlp = JsonBenchmarkFiles.Otlp;
        foreach (string path in new[] { _chrome, _otlp })
        {
            using var stream = File.OpenRead(path);
            stream.CopyTo(Stream.Null);
        }
    }

    /// <summary>Baseline: JsonSerializer into plain classes.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Chrome")]
    public int ChromeSystemTextJson()
    {
        using var stream = new FileStream(_chrome, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return JsonSerializer.Deserialize<StjBaseline.ChromeFile>(stream)!.traceEvents!.Count;
    }

    /// <summary>Parser-speed reference (issue 18): one bare Utf8JsonReader pass over the same bytes, every number read.</summary>
    [Benchmark, BenchmarkCategory("Chrome")]
    public double ChromeUtf8JsonReaderPass() => BareJsonPass.Run(_chrome);

    /// <summary>ChromeTraceReader.Open: a whole ExecutionTrace with paired spans.</summary>
    [Benchmark, BenchmarkCategory("Chrome")]
    public int ChromeTraceQuery()
    {
        using var trace = ChromeTraceReader.Open(_chrome);
        return trace.EventCount;
    }

    /// <summary>The same read as before issue 18's single pass (every event tokenized to find its end, then again to map it).</summary>
    [Benchmark, BenchmarkCategory("Chrome")]
    public int ChromeTraceQueryTwoPass() => TwoPass(() => ChromeTraceReader.Open(_chrome));

    /// <summary>The single pass on one core: the event array not parsed in chunks (issue 18 item 5's parallel read off).</summary>
    [Benchmark, BenchmarkCategory("Chrome")]
    public int ChromeTraceQueryOneCore() => OneCore(() => ChromeTraceReader.Open(_chrome));

    /// <summary>The event array parsed in chunks on all cores, forced on (the default reads in one pass below 3 cores).</summary>
    [Benchmark, BenchmarkCategory("Chrome")]
    public int ChromeTraceQueryChunked() => Chunked(() => ChromeTraceReader.Open(_chrome));

    /// <summary>Baseline: JsonSerializer into plain classes.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Otlp")]
    public int OtlpSystemTextJson()
    {
        using var stream = new FileStream(_otlp, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        int spans = 0;
        foreach (var resource in JsonSerializer.Deserialize<StjBaseline.OtlpRequest>(stream)!.resourceSpans!)
            foreach (var scope in resource.scopeSpans!)
                spans += scope.spans!.Count;
        return spans;
    }

    /// <summary>Parser-speed reference (issue 18): one bare Utf8JsonReader pass over the same bytes, every number read.</summary>
    [Benchmark, BenchmarkCategory("Otlp")]
    public double OtlpUtf8JsonReaderPass() => BareJsonPass.Run(_otlp);

    /// <summary>OtlpJsonReader.Open: a whole ExecutionTrace with paired spans.</summary>
    [Benchmark, BenchmarkCategory("Otlp")]
    public int OtlpTraceQuery()
    {
        using var trace = OtlpJsonReader.Open(_otlp);
        return trace.EventCount;
    }

    /// <summary>The same read as before issue 18's single pass (every span tokenized to find its end, then again to map it).</summary>
    [Benchmark, BenchmarkCategory("Otlp")]
    public int OtlpTraceQueryTwoPass() => TwoPass(() => OtlpJsonReader.Open(_otlp));

    /// <summary>Reads with the two-pass value reading switched on for this call only.</summary>
    internal static int TwoPass(Func<Model.ExecutionTrace> read)
    {
        Formats.Internals.JsonStream.TwoPassForComparison = true;
        try
        {
            using var trace = read();
            return trace.EventCount;
        }
        finally
        {
            Formats.Internals.JsonStream.TwoPassForComparison = false;
        }
    }

    /// <summary>Reads with the Chrome event array's chunked parallel parse switched off for this call only.</summary>
    internal static int OneCore(Func<Model.ExecutionTrace> read) => WithChunkBytes(-1, read);

    /// <summary>
    /// Reads with the event array parsed in 1 MiB chunks on all cores whatever the core count (the default needs
    /// <c>ChromeChunkedEvents.MinProcessors</c> cores; 1 MiB is the default's chunk size for a 20 MB file).
    /// </summary>
    internal static int Chunked(Func<Model.ExecutionTrace> read) => WithChunkBytes(1 << 20, read);

    private static int WithChunkBytes(int setting, Func<Model.ExecutionTrace> read)
    {
        Formats.Chrome.ChromeChunkedEvents.ChunkBytesOverride = setting;
        try
        {
            using var trace = read();
            return trace.EventCount;
        }
        finally
        {
            Formats.Chrome.ChromeChunkedEvents.ChunkBytesOverride = 0;
        }
    }

    private sealed class Columns : BenchmarkDotNet.Configs.ManualConfig
    {
        public Columns()
        {
            // In process: building the boilerplate project takes longer than BenchmarkDotNet's timeout on this machine.
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5)
                .WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
            AddColumn(new FileThroughputColumn(c => JsonBenchmarkFiles.SizeOf(c.Descriptor.WorkloadMethod.Name.StartsWith("Chrome", StringComparison.Ordinal) ? JsonBenchmarkFiles.Chrome : JsonBenchmarkFiles.Otlp)));
            AddLogicalGroupRules(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory);
        }
    }
}
