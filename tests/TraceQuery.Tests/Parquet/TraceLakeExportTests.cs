using TraceQuery.Cli;
using TraceQuery.Fleet;
using TraceQuery.Parquet;
using TraceQuery.Tests.Fleet;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Parquet;

[TestClass]
public sealed class TraceLakeExportTests
{
    [TestMethod]
    public async Task Export_FolderWithDamagedTrace_ThenOthersWrittenAndFailureListed()
    {
        string lake = TestPaths.NewTempDirectory("lake-damaged");
        var set = TraceSet.FromPath(Path.Combine(TraceFolders.FleetFolder, "runs"));
        var export = await TraceLakeExporter.ExportAsync(set, lake, new TraceLakeOptions { IncludeEvents = false });
        Assert.AreEqual(12, export.Traces.Count);
        var failure = export.Failures.Single();
        Assert.AreEqual("run-13.json", failure.Name);
        StringAssert.Contains(failure.Error, "at byte 36");
        Assert.IsFalse(Directory.Exists(Path.Combine(lake, "spans", "trace=run-13.json")));
        Assert.IsTrue(File.Exists(Path.Combine(lake, "spans", "trace=run-12", TraceLakeExporter.PartFileName)));
    }

    [TestMethod]
    public async Task Export_AgainWithoutEvents_ThenThatTracesEventsPartitionIsRemovedAndOthersKept()
    {
        string lake = TestPaths.NewTempDirectory("lake-again");
        string runs = Path.Combine(TraceFolders.FleetFolder, "runs");
        await TraceLakeExporter.ExportAsync(TraceSet.FromPaths([Path.Combine(runs, "run-01"), Path.Combine(runs, "run-02")]), lake);
        await TraceLakeExporter.ExportAsync(TraceSet.FromPath(Path.Combine(runs, "run-01")), lake, new TraceLakeOptions { IncludeEvents = false });
        Assert.IsFalse(Directory.Exists(Path.Combine(lake, "events", "trace=run-01")));
        Assert.IsTrue(File.Exists(Path.Combine(lake, "events", "trace=run-02", TraceLakeExporter.PartFileName)));
        Assert.IsTrue(File.Exists(Path.Combine(lake, "spans", "trace=run-01", TraceLakeExporter.PartFileName)));
        Assert.AreEqual(0, Directory.GetFiles(lake, "*.tmp", SearchOption.AllDirectories).Length);
    }

    [TestMethod]
    public void Cli_ExportWithDamagedTrace_ThenExitOneNamingIt()
    {
        string lake = TestPaths.NewTempDirectory("lake-cli-damaged");
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(["export", Path.Combine(TraceFolders.FleetFolder, "runs"), "--to", lake, "--no-events"], output, error);
        Assert.AreEqual(1, exit);
        StringAssert.StartsWith(output.ToString(), "exported 12 of 13 traces to ");
        StringAssert.StartsWith(error.ToString(), "error: run-13.json: ");
    }

    [TestMethod]
    public void Options_RowGroupRowsZero_ThenArgumentOutOfRangeNamingIt()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TraceLakeOptions { RowGroupRows = 0 }.Validate());
        Assert.AreEqual("RowGroupRows", e.ParamName);
    }
}
