using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Generation;

[TestClass]
public sealed class SampleSessionTests
{
    private static string SamplePath => Path.Combine(TestPaths.RepositoryRoot, "samples", "indexer");

    [TestMethod]
    public void SampleSession_Regenerated_ThenCommittedBytesMatch()
    {
        // The command in samples/README.md.
        using var trace = TraceGenerator.Generate(4_000, new TraceGeneratorOptions
        {
            Threads = 4,
            Seed = 42,
            WithDetail = true,
            Anomalies = TraceAnomalies.Crash | TraceAnomalies.Leak | TraceAnomalies.LatencyOutlier | TraceAnomalies.Hang,
        });
        string dir = TestPaths.NewTempDirectory("sample");
        AtfWriter.Write(trace, dir);
        var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order(StringComparer.Ordinal).ToList();
        var committed = Directory.GetFiles(SamplePath, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(SamplePath, f)).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(files, committed);
        foreach (string file in files)
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(dir, file)), File.ReadAllBytes(Path.Combine(SamplePath, file)), file);
    }

    [TestMethod]
    public void Render_SampleSession_ThenInfoAndFirstEventsMatchSnapshot()
    {
        using var trace = AtfReader.Open(SamplePath);
        Snapshot.Verify(TraceInfoText.Render(trace, firstEvents: 12));
    }

    [TestMethod]
    public void Render_KilledWhileTracingSession_ThenRecoveryReportMatchesSnapshot()
    {
        using var trace = AtfReader.Open(Path.Combine(TestPaths.OriginalWriterSessionsRoot, "killed-while-tracing"));
        Snapshot.Verify(TraceInfoText.Render(trace, firstEvents: 5));
    }
}
