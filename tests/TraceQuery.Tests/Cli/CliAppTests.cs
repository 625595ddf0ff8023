using System.Text.Json;
using TraceQuery.Cli;
using TraceQuery.Summaries;
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

    private static string Sample => Path.Combine(TestPaths.RepositoryRoot, "samples", "indexer");

    [TestMethod]
    public void Info_SampleSession_ThenPrintsInfoAndExitsZero()
    {
        var (exit, output, error) = Run("info", Path.Combine(TestPaths.RepositoryRoot, "samples", "indexer"), "--events", "3");
        Assert.AreEqual(0, exit, error);
        Snapshot.Verify(output);
    }

    [TestMethod]
    public void Around_SampleCrash_ThenNeighbourhoodMatchesSnapshot()
    {
        var (exit, output, error) = Run("around", Sample, "--anchor", "event:1:601", "--back", "4us", "--ahead", "1us", "--budget", "900");
        Assert.AreEqual(0, exit, error);
        StringAssert.Contains(output, "- [anchor] ±0 event:1:601 EXCEPTION parse_header");
        Snapshot.Verify(output);
    }

    [TestMethod]
    public void Plan_SampleSymptom_ThenRanksAndSetsMatchSnapshot()
    {
        var (exit, output, error) = Run("plan", Sample, "memory grows, buffers never released", "--top-k", "4", "--module", "libmem", "--budget", "700");
        Assert.AreEqual(0, exit, error);
        StringAssert.StartsWith(output, "# Key symbols for \"memory grows, buffers never released\"");
        Snapshot.Verify(output);
    }

    [TestMethod]
    public void Around_BadAnchor_ThenExitOneWithReason()
    {
        var (exit, _, error) = Run("around", Sample, "--anchor", "span:x");
        Assert.AreEqual(1, exit);
        StringAssert.Contains(error, "'span:x' is not a span reference");
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

    [TestMethod]
    [DataRow("info")]
    [DataRow("summary")]
    [DataRow("top")]
    public void Command_EmptyTracePath_ThenUsageErrorNotACrash(string command)
    {
        var (exit, output, error) = Run(command, "");
        Assert.AreEqual(2, exit, error);
        Assert.AreEqual("", output);
        StringAssert.Contains(error, "a trace path is empty");
    }

    [TestMethod]
    public void Query_SampleSession_ThenPrintsMatchingEventsWithinBudget()
    {
        var (exit, output, error) = Run("query", Sample, "--filter", "kind:exception or fn:open_store", "--budget", "400", "--full");
        Assert.AreEqual(0, exit, error);
        Assert.AreEqual("", error);
        Assert.IsTrue(new TokenCounter("gpt-4o").CountTokens(output.TrimEnd('\n')) <= 400);
        Snapshot.Verify(output);
    }

    [TestMethod]
    public void Query_Json_ThenWholeServerResponseWithTheSameText()
    {
        var text = Run("query", Sample, "--filter", "error", "--budget", "300");
        var (exit, output, error) = Run("query", Sample, "--filter", "error", "--budget", "300", "--json");
        Assert.AreEqual(0, exit, error);
        var result = JsonDocument.Parse(output).RootElement.GetProperty("result");
        Assert.AreEqual("success", result.GetProperty("status").GetString());
        Assert.AreEqual(300, result.GetProperty("token_budget").GetInt32());
        string data = result.GetProperty("data").GetString()!;
        Assert.AreEqual(new TokenCounter("gpt-4o").CountTokens(data), result.GetProperty("tokens_used").GetInt32());
        Assert.AreEqual(data.TrimEnd('\n') + "\n", text.Output);
    }

    [TestMethod]
    public void Summary_SampleSession_ThenNarrativeMatchesSnapshot()
    {
        var (exit, output, error) = Run("summary", Sample, "--budget", "600");
        Assert.AreEqual(0, exit, error);
        Assert.AreEqual("", error, "no progress line when stderr is not a terminal");
        Snapshot.Verify(output);
    }

    [TestMethod]
    public void Summary_WithCursor_ThenContinuesWhereThePreviousPageStopped()
    {
        var first = Run("summary", Sample, "--budget", "200", "--model", "gpt-4", "--json");
        string cursor = JsonDocument.Parse(first.Output).RootElement.GetProperty("result").GetProperty("next_cursor").GetString()!;
        var (exit, output, error) = Run("summary", Sample, "--budget", "200", "--model", "gpt-4", "--cursor", cursor);
        Assert.AreEqual(0, exit, error);
        Snapshot.Verify(first.Output + "---\n" + output);
    }

    [TestMethod]
    public void Summary_WithFilter_ThenNarratesOnlyTheSelection()
    {
        var (exit, output, error) = Run("summary", Sample, "--filter", "thread:1", "--budget", "300");
        Assert.AreEqual(0, exit, error);
        StringAssert.Contains(output, "parse_header");
    }

    [TestMethod]
    public void Top_ByP95_ThenRanksFunctions()
    {
        var (exit, output, error) = Run("top", Sample, "--by", "p95", "--n", "5");
        Assert.AreEqual(0, exit, error);
        Snapshot.Verify(output);
    }

    [TestMethod]
    public void Top_UnknownMetric_ThenUsageErrorExitTwo()
    {
        var (exit, output, error) = Run("top", Sample, "--by", "median");
        Assert.AreEqual(2, exit);
        Assert.AreEqual("", output);
        StringAssert.Contains(error, "'median'");
    }

    [TestMethod]
    public void Query_MissingFilter_ThenUsageErrorExitTwo()
    {
        var (exit, _, error) = Run("query", Sample);
        Assert.AreEqual(2, exit);
        StringAssert.Contains(error, "--filter");
    }

    [TestMethod]
    [DataRow("query", "--filter", "(kind:call and)", "error: Invalid params: 'filter' unexpected ')' at column 15; expected a term.")]
    [DataRow("summary", "--budget", "5", "error: Invalid params: 'token_budget' ")]
    [DataRow("summary", "--model", "gpt-17", "error: Invalid params: 'model' Unknown model 'gpt-17'.")]
    [DataRow("top", "--n", "0", "error: Invalid params: 'n' is 0; it must be between 1 and 10000.")]
    public void Command_ServerRefusesInput_ThenExitOneWithServerMessage(string command, string option, string value, string message)
    {
        var (exit, output, error) = Run(command, Sample, option, value);
        Assert.AreEqual(1, exit);
        Assert.AreEqual("", output);
        StringAssert.StartsWith(error, message);
    }

    [TestMethod]
    public void Query_ErrorWithJson_ThenErrorResponseOnStdoutAndExitOne()
    {
        var (exit, output, _) = Run("query", Sample, "--filter", "kind:", "--json");
        Assert.AreEqual(1, exit);
        var error = JsonDocument.Parse(output).RootElement.GetProperty("error");
        Assert.AreEqual(-32602, error.GetProperty("code").GetInt32());
        Assert.AreEqual("filter", error.GetProperty("data").GetProperty("parameter").GetString());
    }

    [TestMethod]
    [DataRow("summary")]
    [DataRow("query")]
    [DataRow("top")]
    public void Command_NotASession_ThenExitOneWithReason(string command)
    {
        var (exit, output, error) = Run(command, TestPaths.NewTempDirectory("cli"), "--filter", "error");
        Assert.AreEqual(1, exit, error);
        Assert.AreEqual("", output);
        StringAssert.Contains(error, "not an ATF session");
    }

    [TestMethod]
    public void Summary_BudgetAboveServerMaximum_ThenClampedAndNotedOnStderr()
    {
        var (exit, output, error) = Run("summary", Sample, "--budget", "50000");
        Assert.AreEqual(0, exit, error);
        Assert.AreEqual("note: token_budget 50000 was clamped to the server's maximum of 20000.\n", error.ReplaceLineEndings("\n"));
        Assert.IsTrue(new TokenCounter("gpt-4o").CountTokens(output.TrimEnd('\n')) <= 20_000);
    }

    [TestMethod]
    [DataRow("query", "--filter")]
    [DataRow("summary", "--cursor")]
    [DataRow("top", "--by")]
    [DataRow("mcp", "--root")]
    public void Help_EveryNewCommand_ThenDescribesOptionsAndExitsZero(string command, string option)
    {
        var (exit, output, error) = Run(command, "--help");
        Assert.AreEqual(0, exit, error);
        StringAssert.Contains(output, option);
        StringAssert.Contains(output, "Usage:");
    }

    [TestMethod]
    public void Help_Root_ThenListsEveryCommandInOrder()
    {
        // A command line naming one command builds only that one; the root's help (and a typo) still gets them all.
        var (exit, output, error) = Run("--help");
        Assert.AreEqual(0, exit, error);
        string[] commands = ["info", "generate", "query", "summary", "top", "around", "plan", "mcp", "export", "diff", "fleet"];
        int[] positions = [.. commands.Select(c => output.IndexOf("\n  " + c + " ", StringComparison.Ordinal))];
        CollectionAssert.DoesNotContain(positions, -1, output);
        CollectionAssert.AreEqual(positions.Order().ToArray(), positions, output);
    }

    [TestMethod]
    public void Parse_MisspelledCommand_ThenUsageErrorNamingTheToken()
    {
        var (exit, output, error) = Run("sumary", Sample);
        Assert.AreEqual(2, exit);
        Assert.AreEqual("", output);
        StringAssert.Contains(error, "'sumary'");
    }

    [TestMethod]
    public void Mcp_MissingRoot_ThenUsageErrorExitTwo()
    {
        var (exit, _, error) = Run("mcp");
        Assert.AreEqual(2, exit);
        StringAssert.Contains(error, "--root");
    }

    [TestMethod]
    public void Mcp_RootNotADirectory_ThenExitOne()
    {
        var (exit, _, error) = Run("mcp", "--root", Path.Combine(TestPaths.NewTempDirectory("cli"), "missing"));
        Assert.AreEqual(1, exit);
        StringAssert.Contains(error, "is not a directory");
    }
}
