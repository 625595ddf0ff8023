using System.Globalization;
using TraceQuery.Formats.Chrome;
using TraceQuery.Formats.Otlp;
using TraceQuery.Generation;

namespace TraceQuery.Benchmarks;

/// <summary>
/// The Chrome JSON and OTLP/JSON files the parse benchmarks read: generated traces (fixed seed, 4 threads)
/// written with the library's writers until each file is about <c>TRACEQUERY_BENCH_JSON_MB</c> MB (default
/// 100), kept under the temp folder and reused by later runs.
/// </summary>
public static class JsonBenchmarkFiles
{
    /// <summary>Environment variable overriding the target size in MB (10^6 bytes).</summary>
    public const string SizeVariable = "TRACEQUERY_BENCH_JSON_MB";

    private static readonly Lock Gate = new();

    /// <summary>Target size in MB.</summary>
    public static int TargetMegabytes { get; } =
        int.TryParse(Environment.GetEnvironmentVariable(SizeVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int mb) && mb > 0 ? mb : 100;

    private static string Directory => Path.Combine(Path.GetTempPath(), "tracequery-bench", $"json-{TargetMegabytes}mb");

    /// <summary>Path of the Chrome trace file, generated on first use.</summary>
    public static string Chrome => GetOrCreate("trace.json", bytesPerEvent: 87, (trace, path) => ChromeTraceWriter.Write(trace, path));

    /// <summary>Path of the OTLP/JSON file, generated on first use.</summary>
    public static string Otlp => GetOrCreate("otlp.json", bytesPerEvent: 135, (trace, path) => OtlpJsonWriter.Write(trace, path));

    /// <summary>Size of a generated file in bytes.</summary>
    public static long SizeOf(string path) => new FileInfo(path).Length;

    private static string GetOrCreate(string name, int bytesPerEvent, Action<Model.ExecutionTrace, string> write)
    {
        lock (Gate)
        {
            string path = Path.Combine(Directory, name);
            if (File.Exists(path))
                return path;
            System.IO.Directory.CreateDirectory(Directory);
            int events = (int)((long)TargetMegabytes * 1_000_000 / bytesPerEvent);
            using var trace = TraceGenerator.Generate(events, new TraceGeneratorOptions { Threads = 4, Seed = 42, Anomalies = TraceAnomalies.All });
            string temporary = path + ".tmp";
            write(trace, temporary);
            File.Move(temporary, path, overwrite: true);
            return path;
        }
    }
}
