using System.Text.Json;
using TraceQuery.Fleet;
using TraceQuery.Formats;
using TraceQuery.Formats.Chrome;
using TraceQuery.Model;
using TraceQuery.Protocol;
using TraceQuery.Tests.Fleet;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Protocol;

/// <summary><c>traces.fleet</c> and <c>traces.diff</c>: the same answers as the library, references the single-trace methods resolve, errors that name the parameter.</summary>
[TestClass]
public sealed class TraceSetMethodsTests
{
    private static readonly Lazy<string> Root = new(() =>
    {
        string root = TestPaths.NewTempDirectory("trace-sets");
        TraceFolders.CopyDirectory(Path.Combine(TraceFolders.FleetFolder, "runs"), Path.Combine(root, "runs"));
        Directory.CreateDirectory(Path.Combine(root, "pair"));
        using (var trace = TwoRuns.Baseline())
            ChromeTraceWriter.Write(trace, Path.Combine(root, "pair", "run-1.json"));
        using (var trace = TwoRuns.Candidate())
            ChromeTraceWriter.Write(trace, Path.Combine(root, "pair", "run-2.json"));
        return root;
    });

    private static async Task<JsonElement> AskAsync(string request)
    {
        await using var server = new TraceQueryServer(new QueryEngine(), new TraceQueryServerOptions { TraceRoot = Root.Value });
        await server.StartAsync();
        return JsonDocument.Parse(await server.HandleRequestAsync(request)).RootElement.Clone();
    }

    [TestMethod]
    public async Task TracesFleet_Folder_ThenSameTextAsLibraryAndWithinBudget()
    {
        var response = await AskAsync("""{"jsonrpc":"2.0","id":1,"method":"traces.fleet","params":{"folder":"runs","token_budget":2500}}""");
        var result = response.GetProperty("result");
        Assert.AreEqual("success", result.GetProperty("status").GetString());
        Assert.IsTrue(result.GetProperty("tokens_used").GetInt32() <= 2500);
        var expected = new QueryEngine().SummarizeFleet(TraceSet.FromPath(Path.Combine(Root.Value, "runs")), 2500,
            new FleetOptions { TraceNamePrefix = "runs/" }, setName: "runs");
        Assert.AreEqual(expected.Summary, result.GetProperty("data").GetString());
        Assert.AreEqual(48_000, result.GetProperty("events_processed").GetInt32());
    }

    [TestMethod]
    public async Task TracesFleet_CrashReference_ThenEventsGetResolvesItInTheNamedTrace()
    {
        var fleet = await AskAsync("""{"method":"traces.fleet","params":{"folder":"runs","token_budget":2500}}""");
        string text = fleet.GetProperty("data").GetString()!;
        string crash = text.Split('\n').Single(l => l.StartsWith("- [critical] crash in parse_header", StringComparison.Ordinal));
        string[] reference = crash[(crash.IndexOf("· trace:", StringComparison.Ordinal) + 8)..].Split(' ');
        Assert.AreEqual("runs/run-03", reference[0]);
        var resolved = await AskAsync("{\"method\":\"events.get\",\"params\":{\"trace\":\"" + reference[0] + "\",\"refs\":[\"" + reference[1] + "\"]}}");
        Assert.AreEqual("success", resolved.GetProperty("status").GetString(), resolved.ToString());
        StringAssert.Contains(resolved.GetProperty("data").GetString(), "EXCEPTION parse_header");
    }

    [TestMethod]
    public async Task TracesDiff_TwoRuns_ThenSameTextAsLibrary()
    {
        var response = await AskAsync("""{"method":"traces.diff","params":{"baseline":"pair/run-1.json","candidate":"pair/run-2.json","token_budget":2000,"min_absolute":"2us"}}""");
        Assert.AreEqual("success", response.GetProperty("status").GetString(), response.ToString());
        string text = response.GetProperty("data").GetString()!;
        using var baseline = ExecutionTraceOpen("pair/run-1.json");
        using var candidate = ExecutionTraceOpen("pair/run-2.json");
        var expected = new QueryEngine().Diff(baseline, candidate, 2000, new RunDiffOptions { MinAbsoluteChangeNs = 2_000 }, baselineName: "pair/run-1.json", candidateName: "pair/run-2.json");
        Assert.AreEqual(expected.Summary, text);
        StringAssert.Contains(text, "- slower: checksum (");
        StringAssert.Contains(text, "bad checksum");
    }

    private static ExecutionTrace ExecutionTraceOpen(string name) => TraceFile.Open(Path.Combine(Root.Value, name));

    [TestMethod]
    [DataRow("""{"method":"traces.fleet","params":{"folder":"../etc"}}""", "folder")]
    [DataRow("""{"method":"traces.fleet","params":{"folder":"nowhere"}}""", "folder")]
    [DataRow("""{"method":"traces.fleet","params":{"folder":"runs","filter":"fn:("}}""", "filter")]
    [DataRow("""{"method":"traces.diff","params":{"baseline":"pair/run-1.json"}}""", "candidate")]
    [DataRow("""{"method":"traces.diff","params":{"baseline":"pair/none.json","candidate":"pair/run-2.json"}}""", "baseline")]
    [DataRow("""{"method":"traces.diff","params":{"baseline":"/etc/passwd","candidate":"pair/run-2.json"}}""", "baseline")]
    [DataRow("""{"method":"traces.diff","params":{"baseline":"pair/run-1.json","candidate":"pair/run-2.json","min_relative":-1}}""", "min_relative")]
    [DataRow("""{"method":"traces.diff","params":{"baseline":"pair/run-1.json","candidate":"pair/run-2.json","min_calls":0}}""", "min_calls")]
    [DataRow("""{"method":"traces.diff","params":{"baseline":"pair/run-1.json","candidate":"pair/run-2.json","token_budget":10}}""", "token_budget")]
    public async Task TraceSetMethods_BadParameter_ThenInvalidParamsNamingIt(string request, string parameter)
    {
        var response = await AskAsync(request);
        var error = response.GetProperty("error");
        Assert.AreEqual(-32602, error.GetProperty("code").GetInt32(), response.ToString());
        Assert.AreEqual(parameter, error.GetProperty("data").GetProperty("parameter").GetString(), response.ToString());
        StringAssert.Contains(error.GetProperty("message").GetString(), $"'{parameter}'");
    }

    [TestMethod]
    public void Methods_ThenListTheTraceSetMethods()
    {
        CollectionAssert.IsSubsetOf(new[] { "traces.fleet", "traces.diff" }, TraceQueryServer.Methods.ToArray());
    }
}
