using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using TraceQuery.Formats.Perfetto;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Reading a real Chromium Perfetto trace (the committed fixture <c>chromium156-flows.pftrace.gz</c>, decompressed
/// into memory first so only decoding is timed) into an <see cref="Model.ExecutionTrace"/>, against a bare pass over
/// the same bytes in the same run: every packet split out and every one of its fields walked (wire format only,
/// nothing kept). Throughput = decompressed bytes / mean time.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class PerfettoReadBenchmarks
{
    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        string path = Path.Combine(FindRepositoryRoot(), "tests", "TraceQuery.Tests", "Fixtures", "perfetto", "chromium156-flows.pftrace.gz");
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        _bytes = memory.ToArray();
        Console.WriteLine($"// perfetto fixture: {_bytes.Length:N0} bytes decompressed");
    }

    /// <summary>Baseline: split the packets and walk every field of each (protobuf wire format only).</summary>
    [Benchmark(Baseline = true)]
    public long BarePacketPass()
    {
        long fields = 0;
        PerfettoTraceReader.ForEachPacket(new MemoryStream(_bytes, writable: false), "bench", (packet, offset) =>
        {
            var wire = new ProtoWire(packet, offset);
            while (wire.Next())
            {
                wire.Skip();
                fields++;
            }
        });
        return fields;
    }

    /// <summary>PerfettoTraceReader.Read: a whole ExecutionTrace (tracks, slices, flows, names, counters).</summary>
    [Benchmark]
    public int ReadIntoTrace()
    {
        using var trace = PerfettoTraceReader.Read(new MemoryStream(_bytes, writable: false), "bench");
        return trace.EventCount;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TraceQuery.sln")))
                return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() =>
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(10)
                .WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
    }
}
