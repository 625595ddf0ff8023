using System.Formats.Tar;
using System.IO.Compression;

namespace TraceQuery.Tests.Infrastructure;

/// <summary>Locations of fixtures and scratch directories for tests.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> OriginalWriterSessions = new(ExtractOriginalWriterSessions);

    /// <summary>The repository root (the folder holding TraceQuery.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Fixtures copied next to the test assembly.</summary>
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The original tracer's sample sessions, extracted once per test run.</summary>
    public static string OriginalWriterSessionsRoot => OriginalWriterSessions.Value;

    /// <summary>
    /// The real traces from public tools with their independently computed facts, kept outside the repository in
    /// <c>../shared/fixtures/real-traces</c> (beside the clone), or where <c>TRACEQUERY_REAL_TRACES</c> points.
    /// </summary>
    public static string RealTraces =>
        Environment.GetEnvironmentVariable("TRACEQUERY_REAL_TRACES") is { Length: > 0 } overridden
            ? overridden
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures", "real-traces"));

    /// <summary>A fresh empty directory under the system temp folder.</summary>
    public static string NewTempDirectory(string prefix = "tq")
    {
        string path = Path.Combine(Path.GetTempPath(), "tracequery-tests", prefix + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string ExtractOriginalWriterSessions()
    {
        string archive = Path.Combine(Fixtures, "atf-original-writer", "sessions.tar.gz");
        string target = NewTempDirectory("atf-original-writer");
        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        TarFile.ExtractToDirectory(gzip, target, overwriteFiles: true);
        return target;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TraceQuery.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("TraceQuery.sln not found above " + AppContext.BaseDirectory);
    }
}
