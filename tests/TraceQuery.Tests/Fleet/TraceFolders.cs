using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Fleet;

/// <summary>Folders of traces for the tests over many traces: the original writer's sessions, generated runs with planted anomalies, JSON traces.</summary>
internal static class TraceFolders
{
    private static readonly Lazy<string> Mixed = new(BuildMixed);
    private static readonly Lazy<string> Fleet = new(BuildFleet);

    /// <summary>
    /// A folder (built once per test run) holding <c>original/&lt;session&gt;</c> (the three original-writer sessions),
    /// <c>generated/clean</c>, <c>generated/crash</c>, <c>generated/all</c> (generated ATF runs) and <c>json/errors.json</c>
    /// (Chrome, with messages). Read-only for tests.
    /// </summary>
    public static string MixedFolder => Mixed.Value;

    /// <summary>
    /// A folder (built once per test run) holding <c>runs/run-01</c> … <c>runs/run-12</c> (generated ATF runs of 4,000 events:
    /// 03, 07 and 11 crash in parse_header, 07 also leaks, 12 hangs) and <c>runs/run-13.json</c> (a cut Chrome file). Read-only.
    /// </summary>
    public static string FleetFolder => Fleet.Value;

    private static string BuildFleet()
    {
        string root = TestPaths.NewTempDirectory("fleet");
        for (int i = 1; i <= 12; i++)
        {
            var anomalies = i is 3 or 7 or 11 ? TraceAnomalies.Crash : TraceAnomalies.None;
            if (i == 7)
                anomalies |= TraceAnomalies.Leak;
            if (i == 12)
                anomalies |= TraceAnomalies.Hang;
            Generate(Path.Combine(root, "runs", $"run-{i:00}"), anomalies, seed: i, events: 4_000);
        }
        File.WriteAllText(Path.Combine(root, "runs", "run-13.json"), "{\"traceEvents\": [ {\"ph\": \"B\", \"ts\": ");
        return root;
    }

    private static string BuildMixed()
    {
        string root = TestPaths.NewTempDirectory("fleet-mixed");
        foreach (string session in Directory.GetDirectories(TestPaths.OriginalWriterSessionsRoot))
            CopyDirectory(session, Path.Combine(root, "original", Path.GetFileName(session)));
        Generate(Path.Combine(root, "generated", "clean"), TraceAnomalies.None, seed: 1);
        Generate(Path.Combine(root, "generated", "crash"), TraceAnomalies.Crash, seed: 2);
        Generate(Path.Combine(root, "generated", "all"), TraceAnomalies.All, seed: 3);
        Directory.CreateDirectory(Path.Combine(root, "json"));
        File.Copy(Path.Combine(TestPaths.Fixtures, "chrome", "errors.json"), Path.Combine(root, "json", "errors.json"));
        return root;
    }

    /// <summary>Writes a generated ATF session of 6,000 events on 3 threads.</summary>
    public static void Generate(string directory, TraceAnomalies anomalies, int seed, int events = 6_000)
    {
        using var trace = TraceGenerator.Generate(events, new TraceGeneratorOptions { Anomalies = anomalies, Seed = seed, Threads = 3 });
        AtfWriter.Write(trace, directory);
    }

    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (string directory in Directory.GetDirectories(from))
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
    }
}
