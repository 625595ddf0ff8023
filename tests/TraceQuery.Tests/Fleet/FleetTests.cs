using TraceQuery.Analysis;
using TraceQuery.Cli;
using TraceQuery.Filtering;
using TraceQuery.Fleet;
using TraceQuery.Formats;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Fleet;

/// <summary>
/// A fleet of twelve generated runs (three crash in parse_header, one also leaks, one hangs) plus one damaged file: the answer counts
/// them, groups the crashes by culprit with the first run, lists the unreadable one, and every number in it can be
/// recomputed from the traces.
/// </summary>
[TestClass]
public sealed class FleetTests
{
    private static string Runs => Path.Combine(TraceFolders.FleetFolder, "runs");

    [TestMethod]
    public void Analyze_TwelveRunsThreeCrashes_ThenGroupsCrashesByCulpritWithFirstRun()
    {
        var set = TraceSet.FromPath(Runs);
        Assert.AreEqual(13, set.Count);
        var report = FleetAnalyzer.Analyze(set, new FleetOptions { MaxDegreeOfParallelism = 2 });

        Assert.AreEqual(4, report.Failed, "three crashes and one unreadable file");
        var crash = report.Groups[0];
        Assert.AreEqual(FindingKind.Crash, crash.Kind);
        Assert.AreEqual("parse_header", crash.Function);
        CollectionAssert.AreEqual(new[] { "run-03", "run-07", "run-11" }, crash.Traces.ToArray());
        Assert.AreEqual("run-03", crash.First.Trace);
        Assert.IsNotNull(report.Traces.Single(t => t.Name == "run-13.json").ReadError);
        var outlier = report.Outliers.Single();
        Assert.AreEqual(("run-12", OutlierMetric.LongDuration), (outlier.Trace, outlier.Metric));
        var durations = report.Traces.Where(t => t.ReadError is null).Select(t => (double)t.DurationNs).Order().ToList();
        Assert.AreEqual(durations[(durations.Count - 1) / 2], outlier.Median, "the lower median of the readable runs");

        // Every count can be recomputed from the traces themselves.
        for (int i = 0; i < 12; i++)
        {
            using var trace = TraceSet.Open(set.Entries[i]);
            Assert.AreEqual(trace.EventCount, report.Traces[i].Events, set.Entries[i].Name);
            Assert.AreEqual(trace.TimeEndNs - trace.TimeStartNs, report.Traces[i].DurationNs, set.Entries[i].Name);
        }
    }

    [TestMethod]
    public void Analyze_AnyParallelism_ThenSameReport()
    {
        var set = TraceSet.FromPath(Runs);
        var one = new QueryEngine().SummarizeFleet(set, 3_000, new FleetOptions { MaxDegreeOfParallelism = 1 });
        var two = new QueryEngine().SummarizeFleet(set, 3_000, new FleetOptions { MaxDegreeOfParallelism = 3 });
        Assert.AreEqual(one.Summary, two.Summary);
    }

    [TestMethod]
    public void SummarizeFleet_Budgeted_ThenHeadlineCrashGroupAndEvidenceNameTheTrace()
    {
        var result = new QueryEngine().SummarizeFleet(TraceSet.FromPath(Runs), 3_000, new FleetOptions { TraceNamePrefix = "runs/" }, setName: "runs");
        Assert.IsTrue(result.TokenCount <= 3_000);
        string[] lines = result.Summary.Split('\n');
        StringAssert.StartsWith(lines[0], "# Fleet of 13 traces in runs: 4 failed (3 crashed, 1 unreadable)");
        string crash = lines.Single(l => l.StartsWith("- [critical] crash in parse_header", StringComparison.Ordinal));
        StringAssert.Contains(crash, ": 3 of 13 runs; first in runs/run-03: ");
        StringAssert.Contains(crash, "· trace:runs/run-03 event:1:");
        StringAssert.Contains(crash, "· also runs/run-07, runs/run-11");
        StringAssert.Contains(result.Summary, "- unreadable: 1 of 13 runs; first runs/run-13.json: ");
        StringAssert.Contains(result.Summary, "- runs/run-03: crashed in parse_header · ");
        Snapshot.Verify(result.Summary);
    }

    [TestMethod]
    public void SummarizeFleet_EvidenceReference_ThenResolvesInTheNamedTrace()
    {
        var result = new QueryEngine().SummarizeFleet(TraceSet.FromPath(Runs), 3_000);
        string crash = result.Summary.Split('\n').Single(l => l.StartsWith("- [critical] crash in parse_header", StringComparison.Ordinal));
        string reference = crash[(crash.IndexOf("· trace:", StringComparison.Ordinal) + 8)..];
        string traceName = reference[..reference.IndexOf(' ', StringComparison.Ordinal)];
        string eventText = reference.Split(' ')[1];
        Assert.IsTrue(EventRef.TryParse(eventText, out var eventRef), eventText);
        using var trace = TraceFile.Open(Path.Combine(Runs, traceName));
        Assert.IsTrue(trace.TryGetEventIndex(eventRef, out int index));
        Assert.AreEqual(EventKind.Exception, (EventKind)trace.Kinds[index]);
        Assert.AreEqual("parse_header", trace.GetFunctionName(trace.FunctionOrdinals[index]));
    }

    [TestMethod]
    public void SummarizeFleet_SmallBudget_ThenCursorPagesThroughEveryTraceOnce()
    {
        var engine = new QueryEngine();
        var set = TraceSet.FromPath(Runs);
        var seen = new List<string>();
        var page = engine.SummarizeFleet(set, 400);
        Assert.IsTrue(page.DidTruncate);
        for (int i = 0; i < 30 && page is not null; i++)
        {
            Assert.IsTrue(page.TokenCount <= 400);
            seen.AddRange(page.Summary.Split('\n').Where(l => l.StartsWith("- run-", StringComparison.Ordinal) && (l.Contains(" events · ", StringComparison.Ordinal) || l.Contains(": unreadable: ", StringComparison.Ordinal)) && !l.EndsWith("…[cut]", StringComparison.Ordinal)));
            page = page.NextCursor is { } cursor ? engine.SummarizeFleet(set, 400, cursor: cursor) : null;
        }
        Assert.AreEqual(13, seen.Count, string.Join('\n', seen));
        Assert.AreEqual(13, seen.Distinct().Count());
    }

    [TestMethod]
    public void SummarizeFleet_Filter_ThenHeadlineCountsMatchedEvents()
    {
        var set = TraceSet.FromPath(Runs);
        var result = new QueryEngine().SummarizeFleet(set, 3_000, new FleetOptions { Filter = "fn:parse_*" });
        long expected = 0;
        foreach (var entry in set.Entries.Take(12))
        {
            using var trace = TraceSet.Open(entry);
            expected += EventFilter.Parse("fn:parse_*").Evaluate(trace).Count;
        }
        StringAssert.Contains(result.Summary.Split('\n')[0], $"; filter `fn:parse_*` matched {expected:N0} events");
    }

    [TestMethod]
    public void SummarizeFleet_BadFilter_ThenFilterSyntaxExceptionBeforeReading()
    {
        Assert.ThrowsExactly<FilterSyntaxException>(() => new QueryEngine().SummarizeFleet(TraceSet.FromPath(Runs), 3_000, new FleetOptions { Filter = "fn:(" }));
    }

    [TestMethod]
    public void Cli_Fleet_ThenNamesResolveFromTheWorkingDirectory()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(["fleet", Runs, "--budget", "2500", "--parallel", "2"], output, error);
        Assert.AreEqual(0, exit, error.ToString());
        string text = output.ToString();
        StringAssert.Contains(text, "4 failed (3 crashed, 1 unreadable)");
        string prefix = Path.GetRelativePath(Environment.CurrentDirectory, Runs).Replace('\\', '/');
        if (prefix.StartsWith("..", StringComparison.Ordinal))
            prefix = Runs.Replace('\\', '/');
        StringAssert.Contains(text, $"first in {prefix}/run-03: ");
    }

    [TestMethod]
    public void Cli_FleetBadFilter_ThenUsageError()
    {
        var error = new StringWriter();
        int exit = CliApp.Run(["fleet", Runs, "--filter", "fn:("], new StringWriter(), error);
        Assert.AreEqual(2, exit);
        StringAssert.Contains(error.ToString(), "--filter: ");
    }
}
