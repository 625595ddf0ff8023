using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using TraceQuery.Cli;
using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Perfetto;

/// <summary>
/// Every answer the tool gives on a JSON trace, given on the Perfetto recordings through the command line as a user
/// asks it (<c>summary</c>, <c>query</c> filters, <c>top</c>, <c>around</c>, <c>fleet</c>, <c>export</c>): each figure
/// checked against the trace itself (counted here from its spans and timestamps) or the independent facts.
/// </summary>
[TestClass]
public sealed partial class PerfettoAnswerTests
{
    private static string Page => PerfettoFixtureTests.PathOf("chromium156-page.pftrace");

    private static string Recorded => PerfettoFixtureTests.PathOf("chromium156-flows.pftrace.gz");

    private static readonly Lazy<JsonElement> Facts = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Fixtures, "perfetto", "facts.json"))).RootElement);

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    [TestMethod]
    public void Summary_PerfettoRecording_ThenHeaderCountsEventsAndThreadsOfTheTrace()
    {
        using var trace = TraceFile.Open(Page);
        var (exit, output, error) = Run("summary", Page, "--budget", "1500");
        Assert.AreEqual(0, exit, error);
        var header = output.Split('\n')[0];
        StringAssert.StartsWith(header, "# Trace ");
        StringAssert.Contains(header, $": {Count(trace.EventCount)} events, {Count(trace.Threads.Count)} threads, ");
        StringAssert.Contains(output, "## Findings");
    }

    [TestMethod]
    public void Query_PerfettoRecordingFilteredByName_ThenMatchCountIsTheFactsCount()
    {
        var facts = Facts.Value.GetProperty("chromium156-flows.pftrace.gz");
        var top = facts.GetProperty("top_names")[0];
        using var trace = TraceFile.Open(Recorded);
        var (exit, output, error) = Run("query", Recorded, "--filter", "kind:call and fn:\"" + top[0].GetString() + "\"", "--budget", "400");
        Assert.AreEqual(0, exit, error);
        StringAssert.Contains(output, $"matched {Count(top[1].GetInt64())} of {Count(trace.EventCount)} events");
    }

    [TestMethod]
    public void Top_PerfettoRecordingByCount_ThenFirstIsTheCommonestFunctionWithItsCount()
    {
        using var trace = TraceFile.Open(Page);
        var counts = new Dictionary<ulong, long>();
        for (int s = 0; s < trace.Spans.Count; s++)
        {
            ulong id = trace.FunctionIds[trace.Spans.GetFunctionOrdinal(s)];
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        var (exit, output, error) = Run("top", Page, "--by", "count", "--n", "3");
        Assert.AreEqual(0, exit, error);
        var first = TopLine().Match(output);
        Assert.IsTrue(first.Success, output);
        ulong printed = ulong.Parse(first.Groups["id"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        long count = long.Parse(first.Groups["count"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.AreEqual(counts[printed], count, "the printed count is the function's span count");
        Assert.AreEqual(counts.Values.Max(), count, "the first function is the commonest");
        Assert.AreEqual(trace.GetFunctionName(trace.FunctionIds.IndexOf(printed)), first.Groups["name"].Value);
    }

    [TestMethod]
    public void Around_LongestMainThreadSlice_ThenWindowHoldsTheEventsOfThatTime()
    {
        using var trace = TraceFile.Open(Page);
        var spans = trace.Spans;
        int longest = -1;
        for (int s = 0; s < spans.Count; s++)
        {
            if (spans.GetTrack(s) == SpanTrack.Thread && trace.Threads[spans.GetThreadIndex(s)].Name == "CrRendererMain"
                && (longest < 0 || spans.GetEndTime(s) - spans.GetStartTime(s) > spans.GetEndTime(longest) - spans.GetStartTime(longest)))
                longest = s;
        }
        Assert.IsGreaterThanOrEqualTo(0, longest);
        int anchor = spans.StartEvents[longest];
        string reference = trace.GetEventRef(anchor).ToString();
        long at = trace.Timestamps[anchor];
        var (exit, output, error) = Run("around", Page, "--anchor", reference, "--back", "1ms", "--ahead", "1ms", "--budget", "3000");
        Assert.AreEqual(0, exit, error);
        long inWindow = 0;
        var threads = new HashSet<uint>();
        for (int e = 0; e < trace.EventCount; e++)
        {
            if (trace.Timestamps[e] >= at - 1_000_000 && trace.Timestamps[e] <= at + 1_000_000)
            {
                inWindow++;
                threads.Add(trace.GetThreadOfEvent(e).Id);
            }
        }
        string name = trace.GetFunctionName(spans.GetFunctionOrdinal(longest));
        StringAssert.StartsWith(output, $"# Around {reference} (call {name} on thread ");
        StringAssert.Contains(output, $"{Count(inWindow)} events on {threads.Count} threads");
        StringAssert.Contains(output, $"- [anchor] ±0 {reference} call {name}");
    }

    [TestMethod]
    public void FleetAndExport_FolderOfPerfettoRecordings_ThenBothRunsCountedAndEverySpanExported()
    {
        string dir = TestPaths.NewTempDirectory("pf-answers");
        File.Copy(Page, Path.Combine(dir, "page.pftrace"));
        File.Copy(Recorded, Path.Combine(dir, "flows.pftrace.gz"));
        using var page = TraceFile.Open(Page);
        using var recorded = TraceFile.Open(Recorded);

        var (exit, output, error) = Run("fleet", dir, "--budget", "2500");
        Assert.AreEqual(0, exit, error);
        StringAssert.Contains(output, "2 runs");
        StringAssert.Contains(output, "0 failed");

        string lake = Path.Combine(dir, "lake");
        (exit, output, error) = Run("export", dir, "--to", lake, "--no-events");
        Assert.AreEqual(0, exit, error);
        StringAssert.StartsWith(output, "exported 2 of 2 traces to ");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT trace, count(*) FROM read_parquet('{Path.Combine(lake, "spans").Replace("'", "''", StringComparison.Ordinal)}/**/*.parquet', hive_partitioning = true) GROUP BY trace ORDER BY trace";
        using var reader = command.ExecuteReader();
        var rows = new List<(string Trace, long Spans)>();
        while (reader.Read())
            rows.Add((reader.GetString(0), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)));
        CollectionAssert.AreEqual(
            new[] { ("flows.pftrace.gz", (long)recorded.Spans.Count), ("page.pftrace", (long)page.Spans.Count) },
            rows.ToArray());
        Directory.Delete(dir, recursive: true);
    }

    [GeneratedRegex(@"^1\. (?<name>.+) \((?<module>[^)]*)\) ×(?<count>[\d,]+) .* fn:0x(?<id>[0-9a-f]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex TopLine();
}
