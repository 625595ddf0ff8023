using System.Globalization;
using System.Text.Json;
using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Samples;

/// <summary>Filters over samples and the answers (summary, top) on samples.</summary>
[TestClass]
public sealed class SampleAnswersTests
{
    private static readonly TokenCounter Counter = new("gpt-4o");

    private static string CpuProfilePath(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "TraceQuery.Tests", "Fixtures", "cpuprofile", name);

    /// <summary>Thread 1: main>parse (t=0), main>load>parse (t=10), idle (t=20); thread 2: worker>hash (t=5, 15).</summary>
    private static ExecutionTrace Small()
    {
        var b = new TraceBuilder();
        int mainParse = b.AddSampleStack([new SampleFrame("main", "app.js"), new SampleFrame("parse", "json.js")]);
        int mainLoadParse = b.AddSampleStack([new SampleFrame("main", "app.js"), new SampleFrame("load", "app.js"), new SampleFrame("parse", "json.js")]);
        int idle = b.AddSampleStack([new SampleFrame("(idle)")]);
        int hash = b.AddSampleStack([new SampleFrame("worker", "w.js"), new SampleFrame("hash", "w.js")]);
        b.AddSample(1, 0, mainParse, 1_000, SampleState.Running);
        b.AddSample(1, 10, mainLoadParse, 3_000, SampleState.Running);
        b.AddSample(1, 20, idle, 5_000, SampleState.Waiting);
        b.AddSample(2, 5, hash, 2_000, SampleState.Running);
        b.AddSample(2, 15, hash, 2_000, SampleState.Running);
        return b.Build();
    }

    [TestMethod]
    [DataRow("fn:parse", new[] { true, false, true, false, false })]
    [DataRow("fn:load", new[] { false, false, true, false, false })]
    [DataRow("module:w.js", new[] { false, true, false, true, false })]
    [DataRow("thread:2", new[] { false, true, false, true, false })]
    [DataRow("time:6ns..16ns", new[] { false, false, true, true, false })]
    [DataRow("fn:parse and not fn:load", new[] { true, false, false, false, false })]
    [DataRow("has", new[] { false, true, false, true, false })]
    [DataRow("kind:call", new[] { false, false, false, false, false })]
    public void Evaluate_FilterOverSamples_ThenSelectsByAnyFrameThreadAndTime(string filter, bool[] expected)
    {
        // Samples sorted by time: t=0 (main>parse), 5 (hash), 10 (main>load>parse), 15 (hash), 20 (idle).
        using var trace = Small();
        CollectionAssert.AreEqual(expected, SampleFilter.Evaluate(EventFilter.Parse(filter), trace));
    }

    [TestMethod]
    public void Compute_SmallTrace_ThenSelfTotalAndPathsCountOnlyCpuSamples()
    {
        using var trace = Small();
        var profile = SampledProfile.Compute(trace);
        Assert.AreEqual(8_000, profile.CpuNs);
        Assert.AreEqual(5_000, profile.WaitingNs);
        var parse = profile.Functions.Single(f => f.Name == "parse");
        Assert.AreEqual((4_000L, 4_000L, 2L), (parse.SelfNs, parse.TotalNs, parse.SelfSamples));
        Assert.AreEqual("json.js", parse.Module);
        Assert.AreEqual(4_000, profile.Functions.Single(f => f.Name == "main").TotalNs);
        Assert.AreEqual(0, profile.Functions.Single(f => f.Name == "main").SelfNs);
        Assert.IsFalse(profile.Functions.Any(f => f.Name == "(idle)"));
        Assert.AreEqual("worker;hash", profile.Paths[0].Folded);
        Assert.AreEqual(4_000, profile.Paths[0].WeightNs);
        Assert.AreEqual(3_000, profile.WeightUnder("load", "parse"));
        Assert.AreEqual(1_000, SampledProfile.Compute(trace, new SampleScope { Function = "parse", LeafOnly = true, EndNs = 10 }).CpuNs);
        Assert.AreEqual(4_000, SampledProfile.Compute(trace, new SampleScope { ThreadId = 2 }).CpuNs);
    }

    [TestMethod]
    public void Process_FilterOnCpuProfile_ThenSampledSectionCoversTheSelectedSamples()
    {
        using var facts = JsonDocument.Parse(File.ReadAllText(CpuProfilePath("node20-json-parse.facts.json")));
        double loadConfigMs = facts.RootElement.GetProperty("top_self_ms").EnumerateArray().Single(e => e[0].GetString() == "loadConfig")[1].GetDouble();
        using var trace = TraceFile.Open(CpuProfilePath("node20-json-parse.cpuprofile"));
        int selected = SampleFilter.Evaluate(EventFilter.Parse("fn:loadConfig"), trace).Count(x => x);
        Assert.AreEqual(SampledProfile.Compute(trace).Functions.Single(f => f.Name == "loadConfig").TotalSamples, selected);

        var result = new QueryEngine(tokenCounter: Counter).Process(trace, 1_500, "fn:loadConfig");
        Assert.IsTrue(result.TokenCount <= 1_500);
        StringAssert.Contains(result.Summary, $"- the filter selects {selected.ToString("N0", CultureInfo.InvariantCulture)} of 1,608 samples");
        var line = result.Summary.Split('\n').First(l => l.StartsWith("- loadConfig (", StringComparison.Ordinal));
        StringAssert.Contains(line, "(100%)"); // every selected sample is loadConfig's own time
        StringAssert.Contains(line, " · self " + TraceQuery.Text.TraceText.Duration((long)Math.Round(loadConfigMs * 1e6)) + " (100%)");
    }

    [TestMethod]
    public void TopFunctions_CpuProfile_ThenRanksSampledFunctionsLikeTheFacts()
    {
        using var facts = JsonDocument.Parse(File.ReadAllText(CpuProfilePath("node20-json-parse.facts.json")));
        using var trace = TraceFile.Open(CpuProfilePath("node20-json-parse.cpuprofile"));
        var engine = new QueryEngine(tokenCounter: Counter);
        foreach (var (metric, key) in new[] { (FunctionMetric.Self, "top_self_ms"), (FunctionMetric.Total, "top_total_ms") })
        {
            var result = engine.TopFunctions(trace, new TopFunctionsRequest { Metric = metric, Count = 3, TokenBudget = 1_000 });
            Assert.IsTrue(result.TokenCount <= 1_000);
            StringAssert.Contains(result.Summary, $"top 3 of ");
            var expected = facts.RootElement.GetProperty(key).EnumerateArray().Take(3).Select(e => e[0].GetString()!).ToList();
            var lines = result.Summary.Split('\n').SkipWhile(l => !l.StartsWith("## Sampled functions", StringComparison.Ordinal)).Skip(1).Take(3).ToList();
            for (int i = 0; i < 3; i++)
                StringAssert.StartsWith(lines[i], $"{i + 1}. {expected[i]}", metric.ToString());
        }
    }
}
