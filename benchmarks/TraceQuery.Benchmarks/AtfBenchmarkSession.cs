using System.Globalization;
using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Model;

namespace TraceQuery.Benchmarks;

/// <summary>
/// The ATF session every benchmark reads: a generated trace (fixed seed, 4 threads, 10,000,000 events unless
/// <c>TRACEQUERY_BENCH_EVENTS</c> says otherwise) written once under the temp folder and reused by later runs.
/// </summary>
public static class AtfBenchmarkSession
{
    /// <summary>Environment variable that overrides the event count (e.g. 100000 for a quick run).</summary>
    public const string EventCountVariable = "TRACEQUERY_BENCH_EVENTS";

    /// <summary>Event count of the design's performance targets.</summary>
    public const int DefaultEventCount = 10_000_000;

    /// <summary>Threads in the generated session.</summary>
    public const int ThreadCount = 4;

    /// <summary>Seed of the generator, fixed so every run and machine reads the same bytes.</summary>
    public const int Seed = 42;

    private static readonly Lock Gate = new();

    /// <summary>Events in the session: <see cref="DefaultEventCount"/> or the value of <see cref="EventCountVariable"/>.</summary>
    public static int EventCount { get; } = ReadEventCount();

    /// <summary>Bytes of the event sections of all index files (events × 32).</summary>
    public static long EventBytes => (long)EventCount * TraceEvent.Size;

    /// <summary>Where the session lives, e.g. <c>/tmp/tracequery-bench/atf-10m-4t</c>.</summary>
    public static string SessionDirectory { get; } = Path.Combine(Path.GetTempPath(), "tracequery-bench", $"atf-{Label(EventCount)}-{ThreadCount}t");

    /// <summary>Returns the session directory, generating and writing it first when it is missing or incomplete.</summary>
    public static string GetOrCreate()
    {
        lock (Gate)
        {
            if (IsComplete(SessionDirectory))
                return SessionDirectory;

            // Write beside the target and move it in place, so an interrupted run never leaves a half session behind.
            string staging = $"{SessionDirectory}.staging-{Environment.ProcessId}";
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            using (var trace = TraceGenerator.Generate(EventCount, new TraceGeneratorOptions { Seed = Seed, Threads = ThreadCount }))
                AtfWriter.Write(trace, staging);

            if (Directory.Exists(SessionDirectory))
                Directory.Delete(SessionDirectory, recursive: true);
            try
            {
                Directory.Move(staging, SessionDirectory);
            }
            catch (IOException) when (IsComplete(SessionDirectory))
            {
                // Another process finished first; its copy holds the same bytes.
                Directory.Delete(staging, recursive: true);
            }
            return SessionDirectory;
        }
    }

    /// <summary>The index.atf path of every thread, in thread order.</summary>
    public static string[] GetIndexFiles(string directory)
    {
        var files = new string[ThreadCount];
        for (int t = 0; t < ThreadCount; t++)
            files[t] = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"thread_{t}"), "index.atf");
        return files;
    }

    /// <summary>True when the manifest (written last) is there and the index files hold exactly the expected events.</summary>
    private static bool IsComplete(string directory)
    {
        if (!File.Exists(Path.Combine(directory, "manifest.json")))
            return false;
        long eventBytes = 0;
        foreach (string path in GetIndexFiles(directory))
        {
            var file = new FileInfo(path);
            if (!file.Exists || file.Length < 128)
                return false;
            eventBytes += file.Length - 128; // 64-byte header + 64-byte footer
        }
        return eventBytes == EventBytes;
    }

    private static int ReadEventCount()
    {
        string? value = Environment.GetEnvironmentVariable(EventCountVariable);
        if (string.IsNullOrWhiteSpace(value))
            return DefaultEventCount;
        if (!int.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out int count) || count < ThreadCount)
            throw new InvalidOperationException($"{EventCountVariable} is '{value}'; give a whole number of events of at least {ThreadCount}.");
        return count;
    }

    private static string Label(int count) => count switch
    {
        _ when count % 1_000_000 == 0 => string.Create(CultureInfo.InvariantCulture, $"{count / 1_000_000}m"),
        _ when count % 1_000 == 0 => string.Create(CultureInfo.InvariantCulture, $"{count / 1_000}k"),
        _ => count.ToString(CultureInfo.InvariantCulture),
    };
}
