using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Fleet;

/// <summary>Folders of traces for the tests over many traces: the original writer's sessions, generated runs with planted anomalies, JSON traces.</summary>
internal static class TraceFolders
{
    private static readonly Lazy<string> Mixed = new(BuildMixed);

    /// <summary>
    /// A folder (built once per test run) holding <c>original/&lt;session&gt;</c> (the three original-writer sessions),
    /// <c>generated/clean</c>, <c>generated/crash</c>, <c>generated/all</c> (generated ATF runs) and <c>json/errors.json</c>
    /// (Chrome, with messages). Read-only for tests.
    /// </summary>
    public static string MixedFolder => Mixed.Value;

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
