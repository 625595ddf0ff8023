using System.Text.Json;
using TraceQuery.Analysis;
using TraceQuery.Formats;
using TraceQuery.Formats.Chrome;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Samples;

/// <summary>
/// V8 CPU profiles read as stack samples, checked against facts computed by other tools: the real-trace fixtures'
/// <c>chrome_facts.py</c> (expected.json) for DevTools/Chromium traces and <c>gen/facts.js</c> for the <c>.cpuprofile</c>
/// fixtures recorded here.
/// </summary>
[TestClass]
public sealed class V8CpuProfileTests
{
    private static readonly string[] PseudoFrames = ["(idle)", "(program)", "(garbage collector)", "(root)"];

    private static string CpuProfilePath(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "TraceQuery.Tests", "Fixtures", "cpuprofile", name);

    private static double Ms(long ns) => ns / 1e6;

    public static IEnumerable<object[]> ChromeFilesWithSamples() =>
    [
        ["chromium156-cpu-profile-only.json"],
        ["chromium156-headless-page.json.gz"],
        ["devtools-chrome65-simple-timeline.json"],
        ["devtools-chrome69-simple.json"],
        ["devtools-chrome85-parcel.json"],
        ["webpack5-profiling-plugin-events.json"],
    ];

    [TestMethod]
    [DynamicData(nameof(ChromeFilesWithSamples))]
    public void Open_ChromeTraceWithCpuProfile_ThenSampledSelfAndTotalMatchTheFacts(string file)
    {
        var facts = RealTraceFiles.Facts(file).GetProperty("samples");
        using var trace = TraceFile.Open(RealTraceFiles.PathOf(file));
        var profile = SampledProfile.Compute(trace);

        long unknown = facts.GetProperty("samples_with_unknown_node").GetInt64();
        Assert.AreEqual(facts.GetProperty("samples").GetInt64() - unknown, trace.Samples.Count);
        Assert.AreEqual(facts.GetProperty("samples").GetInt64(), trace.Metadata.CpuSamples);
        if (unknown > 0)
            Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.StartsWith($"{unknown} CPU sample(s) named a profile node", StringComparison.Ordinal)));
        Assert.AreEqual(facts.GetProperty("sampled_ms").GetDouble(), Ms(profile.CpuNs + profile.WaitingNs), 0.01);

        // (idle) is waiting, never CPU: its facts' self time is the profile's waiting time.
        double idle = Entries(facts.GetProperty("top_self_ms")).Where(e => e.Name == "(idle)").Sum(e => e.Ms);
        Assert.AreEqual(idle, Ms(profile.WaitingNs), 0.01);
        Assert.IsFalse(profile.Functions.Any(f => f.Name == "(idle)"));

        var expectedSelf = Entries(facts.GetProperty("top_self_ms_excluding_idle_program_gc_root")).ToList();
        var actualSelf = profile.Functions.Where(f => !PseudoFrames.Contains(f.Name)).Take(expectedSelf.Count).ToList();
        for (int i = 0; i < expectedSelf.Count; i++)
        {
            Assert.AreEqual(expectedSelf[i].Name, actualSelf[i].Name, $"rank {i}");
            Assert.AreEqual(expectedSelf[i].Ms, Ms(actualSelf[i].SelfNs), 0.01, expectedSelf[i].Name);
        }
        foreach (var (name, ms) in Entries(facts.GetProperty("top_total_ms")).Where(e => e.Name is not "(root)" and not "(idle)"))
            Assert.AreEqual(ms, Ms(profile.Functions.Single(f => f.Name == name).TotalNs), 0.01, name);
    }

    [TestMethod]
    public void Open_SamplesOnlyChromeTrace_ThenSaysItsSamplesAreReadAndFindsTheHotSpot()
    {
        const string file = "chromium156-cpu-profile-only.json";
        var facts = RealTraceFiles.Facts(file).GetProperty("samples");
        using var trace = TraceFile.Open(RealTraceFiles.PathOf(file));
        Assert.IsTrue(trace.Metadata.Warnings.Contains(
            $"the file holds {facts.GetProperty("samples").GetInt64()} CPU samples and no spans: it is a CPU profile; its samples are read as stack samples (sampled hot functions and paths)."));

        var analysis = new Analyzer().Analyze(trace);
        var hot = analysis.Findings.Where(f => f.Kind == FindingKind.SampledHotSpot).ToList();
        var profile = SampledProfile.Compute(trace);
        var top = Entries(facts.GetProperty("top_self_ms_excluding_idle_program_gc_root")).First();
        Assert.AreEqual(top.Name, profile.Functions.First(f => !PseudoFrames.Contains(f.Name)).Name);
        double share = top.Ms / Ms(profile.CpuNs);
        Assert.IsTrue(share >= 0.1);
        Assert.AreEqual(top.Name, hot[0].Title.Split(' ')[^5]); // "… under countPrimes > isPrime (x% in isPrime itself)"
        StringAssert.Contains(hot[0].Title, $"({(share * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}% in {top.Name} itself)");
    }

    public static IEnumerable<object[]> CpuProfiles() => [["node20-hot-loop"], ["node20-json-parse"]];

    [TestMethod]
    [DynamicData(nameof(CpuProfiles))]
    public void Open_CpuProfile_ThenHotFunctionsAndPathsMatchTheFacts(string name)
    {
        using var facts = JsonDocument.Parse(File.ReadAllText(CpuProfilePath(name + ".facts.json")));
        var root = facts.RootElement;
        string path = CpuProfilePath(name + ".cpuprofile");
        Assert.AreEqual(TraceFileFormat.CpuProfileJson, TraceFile.DetectFormat(path));
        using var trace = TraceFile.Open(path);
        Assert.AreEqual("cpuprofile", trace.Metadata.SourceFormat);
        Assert.AreEqual(root.GetProperty("samples").GetInt32(), trace.Samples.Count);
        var profile = SampledProfile.Compute(trace);
        Assert.AreEqual(root.GetProperty("cpu_ms").GetDouble(), Ms(profile.CpuNs), 0.01);
        Assert.AreEqual(root.GetProperty("idle_ms").GetDouble(), Ms(profile.WaitingNs), 0.01);

        var self = Entries(root.GetProperty("top_self_ms")).ToList();
        for (int i = 0; i < self.Count; i++)
        {
            Assert.AreEqual(self[i].Name, profile.Functions[i].Name, $"self rank {i}");
            Assert.AreEqual(self[i].Ms, Ms(profile.Functions[i].SelfNs), 0.01);
        }
        var total = Entries(root.GetProperty("top_total_ms")).ToList();
        var byTotal = profile.TopByTotal(total.Count);
        for (int i = 0; i < total.Count; i++)
            Assert.AreEqual(total[i].Ms, Ms(byTotal[i].TotalNs), 0.01, $"total rank {i}: {total[i].Name}");
        var stacks = Entries(root.GetProperty("top_stacks_ms")).ToList();
        for (int i = 0; i < stacks.Count; i++)
        {
            Assert.AreEqual(stacks[i].Name, profile.Paths[i].Folded, $"path rank {i}");
            Assert.AreEqual(stacks[i].Ms, Ms(profile.Paths[i].WeightNs), 0.01);
        }
    }

    [TestMethod]
    public void Analyze_JsonParseProfile_ThenFindingSaysTheShareUnderTheCaller()
    {
        using var facts = JsonDocument.Parse(File.ReadAllText(CpuProfilePath("node20-json-parse.facts.json")));
        var root = facts.RootElement;
        using var trace = TraceFile.Open(CpuProfilePath("node20-json-parse.cpuprofile"));
        var hot = new Analyzer().Analyze(trace).Findings.Where(f => f.Kind == FindingKind.SampledHotSpot).ToList();
        // The garbage collector is real CPU: it is the first hot spot; loadConfig (JSON.parse inlined into it) the second.
        Assert.AreEqual("(garbage collector)", Entries(root.GetProperty("top_self_ms")).First().Name);
        StringAssert.StartsWith(hot[0].Title, $"{(Entries(root.GetProperty("top_self_ms")).First().Ms / root.GetProperty("cpu_ms").GetDouble() * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}% of sampled CPU in (garbage collector) itself");
        var finding = hot[1];
        // The top stack ends main > loadConfig, and loadConfig calls nothing sampled: its share is its self time's.
        var loadConfig = Entries(root.GetProperty("top_self_ms")).Single(e => e.Name == "loadConfig");
        string share = (loadConfig.Ms / root.GetProperty("cpu_ms").GetDouble() * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        Assert.AreEqual($"{share}% of sampled CPU under main > loadConfig ({share}% in loadConfig itself)", finding.Title);
        StringAssert.Contains(finding.Rationale, "waiting samples");
    }

    [TestMethod]
    public void Process_CpuProfile_ThenSummaryShowsSampledCpuWithinBudget()
    {
        using var trace = TraceFile.Open(CpuProfilePath("node20-json-parse.cpuprofile"));
        var engine = new QueryEngine(tokenCounter: new TokenCounter("gpt-4o"));
        foreach (int budget in new[] { 200, 600, 2_000 })
        {
            var result = engine.Process(trace, budget);
            Assert.IsTrue(result.TokenCount <= budget);
            StringAssert.Contains(result.Summary, "1,608 stack samples");
            if (budget >= 600)
            {
                StringAssert.Contains(result.Summary, "## Sampled CPU");
                StringAssert.Contains(result.Summary, "- loadConfig (file://");
                // A sampled hot spot cites its heaviest stack and the first CPU sample on it (stack:<id> sample:<index>).
                Assert.IsFalse(result.Summary.Split('\n').Any(l => l.TrimEnd().EndsWith("Evidence:", StringComparison.Ordinal)));
                StringAssert.Matches(result.Summary, new System.Text.RegularExpressions.Regex(@"of sampled CPU .* Evidence: stack:\d+ sample:\d+"));
            }
        }
    }

    [TestMethod]
    public void Read_CpuProfileWithoutNodesOrCutShort_ThenTypedError()
    {
        var noNodes = Assert.ThrowsExactly<TraceFormatException>(() => CpuProfileReader.Read(new MemoryStream("{\"samples\":[1]}"u8.ToArray()), "x.cpuprofile"));
        StringAssert.Contains(noNodes.Message, "no 'nodes' array");
        var cut = Assert.ThrowsExactly<TraceFormatException>(() => CpuProfileReader.Read(new MemoryStream("{\"nodes\":[{\"id\":1,"u8.ToArray()), "x.cpuprofile"));
        Assert.AreEqual("x.cpuprofile", cut.Path);
    }

    [TestMethod]
    public void Read_SampleNamingUnknownNodeAndLoopingParents_ThenCountedAndSaid()
    {
        const string json = """
            {"nodes":[{"id":1,"callFrame":{"functionName":"(root)"},"children":[2]},
                      {"id":2,"callFrame":{"functionName":"a","url":"a.js","lineNumber":4},"children":[3]},
                      {"id":3,"callFrame":{"functionName":"b"},"parent":4},
                      {"id":4,"callFrame":{"functionName":"c"},"parent":3}],
             "startTime":100,"samples":[2,9,3,2],"timeDeltas":[0,10,20,30]}
            """;
        using var trace = CpuProfileReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "x.cpuprofile");
        Assert.AreEqual(3, trace.Samples.Count);
        Assert.IsTrue(trace.Metadata.Warnings.Contains("1 CPU sample(s) named a profile node the profile does not hold (a profile cut short, or one with no nodes) and were not kept (the profile: 1 of 4)."));
        var profile = trace.Metadata.SampleProfiles.Single();
        Assert.AreEqual((4L, 3L, 1L), (profile.Samples, profile.SamplesKept, profile.SamplesWithUnknownNode));
        Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.Contains("loops", StringComparison.Ordinal)));
        // Sample 0 at 100 µs weighs delta[1] = 10 µs; the last one weighs 0.
        Assert.AreEqual(100_000, trace.Samples.TimestampsNs[0]);
        Assert.AreEqual(10_000, trace.Samples.WeightsNs[0]);
        Assert.AreEqual(0, trace.Samples.WeightsNs[^1]);
        var a = trace.Samples.Frames[trace.Samples.GetStackFrame(trace.Samples.Stacks[0])];
        Assert.AreEqual(new SampleFrame("a", "a.js", 5), a);
        Assert.AreEqual(1, trace.Samples.GetStackDepth(trace.Samples.Stacks[0])); // (root) is not a frame
    }

    private static IEnumerable<(string Name, double Ms)> Entries(JsonElement list) =>
        list.EnumerateArray().Select(e => (e[0].GetString()!, e[1].GetDouble()));
}
