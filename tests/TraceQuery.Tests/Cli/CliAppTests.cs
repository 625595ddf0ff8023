using TraceQuery.Cli;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Cli;

[TestClass]
public sealed class CliAppTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [TestMethod]
    public void Info_SampleSession_ThenPrintsInfoAndExitsZero()
    {
        var (exit, output, error) = Run("info", Path.Combine(TestPaths.RepositoryRoot, "samples", "indexer"), "--events", "3");
        Assert.AreEqual(0, exit, error);
        Snapshot.Verify(output);
    }

    [TestMethod]
    public void Info_NotASession_ThenExitOneWithReason()
    {
        var (exit, _, error) = Run("info", TestPaths.NewTempDirectory("cli"));
        Assert.AreEqual(1, exit);
        StringAssert.Contains(error, "not an ATF session");
    }

    [TestMethod]
    public void Info_MissingArgument_ThenUsageErrorExitTwo()
    {
        var (exit, _, error) = Run("info");
        Assert.AreEqual(2, exit);
        StringAssert.Contains(error, "Required argument missing");
    }

    [TestMethod]
    public void Generate_ThenInfo_ThenSessionRoundTrips()
    {
        string dir = Path.Combine(TestPaths.NewTempDirectory("cli"), "s");
        var (exit, output, error) = Run("generate", dir, "--events", "501", "--threads", "2", "--anomalies", "crash,hang");
        Assert.AreEqual(0, exit, error);
        StringAssert.StartsWith(output, "wrote 501 events on 2 threads");
        var info = Run("info", dir, "-n", "0");
        Assert.AreEqual(0, info.Exit);
        StringAssert.Contains(info.Output, "events: 501 on 2 threads");
    }

    [TestMethod]
    public void Generate_UnknownAnomaly_ThenUsageError()
    {
        var (exit, _, error) = Run("generate", TestPaths.NewTempDirectory("cli"), "--anomalies", "meteor");
        Assert.AreEqual(2, exit);
        StringAssert.Contains(error, "unknown anomaly 'meteor'");
    }
}
