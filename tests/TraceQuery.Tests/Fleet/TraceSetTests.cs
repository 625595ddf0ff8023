using TraceQuery.Fleet;
using TraceQuery.Formats;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Fleet;

[TestClass]
public sealed class TraceSetTests
{
    [TestMethod]
    public void FromPath_FolderWithLinkAndStrayJson_ThenTracesSortedAndSkippedListed()
    {
        string root = TestPaths.NewTempDirectory("set");
        TraceFolders.CopyDirectory(Path.Combine(TraceFolders.FleetFolder, "runs", "run-02"), Path.Combine(root, "b", "run-02"));
        TraceFolders.CopyDirectory(Path.Combine(TraceFolders.FleetFolder, "runs", "run-01"), Path.Combine(root, "a"));
        File.WriteAllText(Path.Combine(root, "notes.json"), "{\"hello\": 1}");
        File.WriteAllText(Path.Combine(root, "README.md"), "not a trace");
        Directory.CreateSymbolicLink(Path.Combine(root, "link"), Path.Combine(root, "a"));

        var set = TraceSet.FromPath(root);
        CollectionAssert.AreEqual(new[] { "a", "b/run-02" }, set.Entries.Select(e => e.Name).ToArray());
        Assert.IsTrue(set.Entries.All(e => e.Format == TraceFileFormat.Atf && e.Bytes > 0));
        CollectionAssert.AreEqual(new[] { "link: a symbolic link (not followed)", "notes.json: not Chrome Trace Event JSON, OTLP/JSON or a Perfetto trace" }, set.Skipped.ToArray());
    }

    [TestMethod]
    public void FromPath_SingleSession_ThenOneTraceNamedByItsDirectory()
    {
        var set = TraceSet.FromPath(Path.Combine(TraceFolders.FleetFolder, "runs", "run-05"));
        Assert.AreEqual("run-05", set.Entries.Single().Name);
    }

    [TestMethod]
    public void FromPaths_TwoTracesSameName_ThenArgumentExceptionSayingSo()
    {
        string root = TestPaths.NewTempDirectory("set-paths");
        TraceFolders.CopyDirectory(Path.Combine(TraceFolders.FleetFolder, "runs", "run-01"), Path.Combine(root, "x", "run"));
        TraceFolders.CopyDirectory(Path.Combine(TraceFolders.FleetFolder, "runs", "run-02"), Path.Combine(root, "y", "run"));
        var e = Assert.ThrowsExactly<ArgumentException>(() => TraceSet.FromPaths([Path.Combine(root, "x", "run"), Path.Combine(root, "y", "run")]));
        StringAssert.Contains(e.Message, "Two traces are both named 'run'");
        var set = TraceSet.FromPaths([Path.Combine(root, "y", "run"), Path.Combine(TraceFolders.FleetFolder, "runs", "run-03")]);
        CollectionAssert.AreEqual(new[] { "run", "run-03" }, set.Entries.Select(x => x.Name).ToArray());
    }

    [TestMethod]
    public void FromPath_Nothing_ThenFileNotFound()
    {
        Assert.ThrowsExactly<FileNotFoundException>(() => TraceSet.FromPath(Path.Combine(TestPaths.NewTempDirectory("none"), "missing")));
    }
}
