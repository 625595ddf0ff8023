using TraceQuery.Cli;
using TraceQuery.Formats.Chrome;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Fleet;

[TestClass]
public sealed class FleetCliTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static (string Baseline, string Candidate) WriteTwoRuns()
    {
        string directory = TestPaths.NewTempDirectory("diff-cli");
        string baseline = Path.Combine(directory, "run-1.json"), candidate = Path.Combine(directory, "run-2.json");
        using (var trace = TwoRuns.Baseline())
            ChromeTraceWriter.Write(trace, baseline);
        using (var trace = TwoRuns.Candidate())
            ChromeTraceWriter.Write(trace, candidate);
        return (baseline, candidate);
    }

    [TestMethod]
    public void Diff_TwoChromeRuns_ThenNamesSlowerFunctionNewErrorAndUnchanged()
    {
        var (baseline, candidate) = WriteTwoRuns();
        var (exit, output, error) = Run("diff", baseline, candidate, "--budget", "1500");
        Assert.AreEqual(0, exit, error);
        StringAssert.Contains(output, "- new error in validate (");
        StringAssert.Contains(output, "bad checksum");
        StringAssert.Contains(output, "- slower: checksum (");
        StringAssert.Contains(output, "read_block ×120→120");
        StringAssert.Contains(output, "trace:" + candidate.Replace('\\', '/'));
    }

    [TestMethod]
    public void Diff_BudgetBelowMinimum_ThenUsageErrorWithMinimum()
    {
        var (baseline, candidate) = WriteTwoRuns();
        var (exit, _, error) = Run("diff", baseline, candidate, "--budget", "20");
        Assert.AreEqual(2, exit);
        StringAssert.Contains(error, "below the minimum of");
    }

    [TestMethod]
    public void Diff_BadThreshold_ThenUsageErrorNamingIt()
    {
        var (baseline, candidate) = WriteTwoRuns();
        var (exit, _, error) = Run("diff", baseline, candidate, "--min-absolute", "fast");
        Assert.AreEqual(2, exit);
        StringAssert.Contains(error, "--min-absolute 'fast' is not a duration");
    }
}
