using System.Globalization;
using System.Text.Json;
using TraceQuery.Formats.Chrome;
using TraceQuery.Formats.Otlp;

namespace TraceQuery.Benchmarks;

/// <summary>
/// The JSON read comparisons of <see cref="JsonParseBenchmarks"/> measured by the process's CPU time as well as wall time
/// (<c>-- jsoncpu chrome|otlp|real|shaped rounds</c>): on a 2-core machine shared by many processes, wall time mostly
/// measures the wait for a core, while CPU time (all threads: the reader, the garbage collector, the JIT) measures the
/// work. Each round runs every method once, in rotating order, after a full collection that is not counted; the
/// medians are printed with their ratios to <see cref="JsonSerializer"/> and to the bare <see cref="Utf8JsonReader"/> pass.
/// </summary>
public static class JsonCpuProbe
{
    /// <summary>Runs <paramref name="rounds"/> rounds over the named file and prints the medians.</summary>
    public static void Run(string which, int rounds)
    {
        bool otlp = which == "otlp";
        string path = which switch
        {
            "chrome" => JsonBenchmarkFiles.Chrome,
            "otlp" => JsonBenchmarkFiles.Otlp,
            "real" => RealShapedJsonFiles.LargestReal,
            "shaped" => RealShapedJsonFiles.RealShaped,
            _ => throw new ArgumentException("expected chrome, otlp, real or shaped", nameof(which)),
        };
        // The real files are bare arrays of events the plain classes do not describe: JsonDocument stands in for them.
        bool generated = which is "chrome" or "otlp";
        var methods = new List<(string Name, Func<double> Run)>
        {
            (generated ? "SystemTextJson" : "JsonDocument", () => !generated ? Stj.Document(path) : otlp ? Stj.Otlp(path) : Stj.Chrome(path)),
            ("Utf8JsonReaderPass", () => BareJsonPass.Run(path)),
            ("TraceQuery", () => Read(otlp, path)),
            ("TraceQueryOneCore", () => JsonParseBenchmarks.OneCore(() => otlp ? OtlpJsonReader.Open(path) : ChromeTraceReader.Open(path))),
            ("TraceQueryChunked", () => JsonParseBenchmarks.Chunked(() => otlp ? OtlpJsonReader.Open(path) : ChromeTraceReader.Open(path))),
        };
        // TRACEQUERY_JSONCPU_NO_TWOPASS=1 leaves the two-pass read out, so the probe can run with the TraceQuery.dll of a
        // build from before the two-pass switch existed (a same-session CPU comparison with an older commit).
        if (Environment.GetEnvironmentVariable("TRACEQUERY_JSONCPU_NO_TWOPASS") != "1")
            methods.Add(("TraceQueryTwoPass", () => JsonParseBenchmarks.TwoPass(() => otlp ? OtlpJsonReader.Open(path) : ChromeTraceReader.Open(path))));
        var (cpu, wall) = CpuWallRounds.Measure(methods.Select(m => (Action)(() => m.Run())).ToList(), rounds, warmupRounds: 1);
        double mb = new FileInfo(path).Length / 1e6;
        double stjCpu = CpuWallRounds.Median(cpu[0]), bareCpu = CpuWallRounds.Median(cpu[1]), stjWall = CpuWallRounds.Median(wall[0]), bareWall = CpuWallRounds.Median(wall[1]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{which}: {mb:F1} MB, {rounds} rounds (medians)"));
        Console.WriteLine($"| method | CPU ms | CPU / {methods[0].Name} | CPU / bare pass | MB/s by CPU | wall ms | wall / {methods[0].Name} | wall / bare pass |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int m = 0; m < methods.Count; m++)
        {
            double c = CpuWallRounds.Median(cpu[m]), w = CpuWallRounds.Median(wall[m]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {methods[m].Name} | {c:F0} | {c / stjCpu:F2} | {c / bareCpu:F2} | {mb / (c / 1000):F0} | {w:F0} | {w / stjWall:F2} | {w / bareWall:F2} |"));
        }
    }

    private static double Read(bool otlp, string path)
    {
        using var trace = otlp ? OtlpJsonReader.Open(path) : ChromeTraceReader.Open(path);
        return trace.EventCount;
    }


    /// <summary>The System.Text.Json baselines of <see cref="JsonParseBenchmarks"/>.</summary>
    private static class Stj
    {
        public static double Document(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 1000 });
            return document.RootElement.GetArrayLength();
        }

        public static double Chrome(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return JsonSerializer.Deserialize<StjBaseline.ChromeFile>(stream)!.traceEvents!.Count;
        }

        public static double Otlp(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            int spans = 0;
            foreach (var resource in JsonSerializer.Deserialize<StjBaseline.OtlpRequest>(stream)!.resourceSpans!)
            {
                foreach (var scope in resource.scopeSpans!)
                    spans += scope.spans!.Count;
            }
            return spans;
        }
    }
}
