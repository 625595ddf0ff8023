using System.Globalization;
using System.Text.Json;
using TraceQuery.Fleet;
using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.NetTrace;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Text;

namespace TraceQuery.Tests.Formats.Samples;

/// <summary>
/// The answers over several runs on stack samples: the fleet's sampled function spread and the diff's sampled shares,
/// on the two recorded <c>.cpuprofile</c>s (facts by gen/facts.js) and the two <c>.nettrace</c> recordings (dotnet-trace topN).
/// </summary>
[TestClass]
public sealed class SampledRunsTests
{
    private const string HotLoop = "node20-hot-loop.cpuprofile", JsonParse = "node20-json-parse.cpuprofile";

    private static string CpuProfilePath(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "TraceQuery.Tests", "Fixtures", "cpuprofile", name);

    private static string NetTracePath(string name) => Path.Combine(TestPaths.Fixtures, "nettrace", name);

    /// <summary>From a profile's facts (gen/facts.js): its sampled CPU (ms) and a function's sampled self time (ms; 0 when not in the top list).</summary>
    private static (double CpuMs, Dictionary<string, double> SelfMs) Facts(string profile)
    {
        using var facts = JsonDocument.Parse(File.ReadAllText(CpuProfilePath(Path.ChangeExtension(profile, ".facts.json"))));
        var self = facts.RootElement.GetProperty("top_self_ms").EnumerateArray().ToDictionary(e => e[0].GetString()!, e => e[1].GetDouble(), StringComparer.Ordinal);
        return (facts.RootElement.GetProperty("cpu_ms").GetDouble(), self);
    }

    private static string Share(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    [TestMethod]
    public void Compare_TwoCpuProfiles_ThenSampledSharesMoveAsTheFactsSay()
    {
        var (hotCpu, hotSelf) = Facts(HotLoop);
        var (jsonCpu, jsonSelf) = Facts(JsonParse);
        using var baseline = TraceFile.Open(CpuProfilePath(HotLoop));
        using var candidate = TraceFile.Open(CpuProfilePath(JsonParse));
        var diff = RunComparer.Compare(baseline, candidate);
        Assert.AreEqual(hotCpu, diff.Baseline.SampledCpuNs / 1e6, 1e-6);
        Assert.AreEqual(jsonCpu, diff.Candidate.SampledCpuNs / 1e6, 1e-6);

        // loadConfig is new (44.5% of the candidate's sampled CPU), the largest move; buildLabels is gone.
        var loadConfig = diff.SampledChanges[0];
        Assert.AreEqual("loadConfig", loadConfig.Name);
        Assert.IsNull(loadConfig.Baseline);
        Assert.AreEqual(jsonSelf["loadConfig"] / jsonCpu, loadConfig.CandidateSelfShare, 1e-9);
        var buildLabels = diff.SampledChanges.Single(c => c.Name == "buildLabels");
        Assert.IsNull(buildLabels.Candidate);
        Assert.AreEqual(hotSelf["buildLabels"] / hotCpu, buildLabels.BaselineSelfShare, 1e-9);
        Assert.IsFalse(buildLabels.IsRegression);
        var gc = diff.SampledChanges.Single(c => c.Name == "(garbage collector)");
        Assert.AreEqual(hotSelf["(garbage collector)"] / hotCpu, gc.BaselineSelfShare, 1e-9);
        Assert.AreEqual(jsonSelf["(garbage collector)"] / jsonCpu, gc.CandidateSelfShare, 1e-9);
        Assert.IsTrue(gc.IsRegression);
        // Ranked by the self-share move: loadConfig (+44.5 points), buildLabels (-34.8), the GC (+25.4), countPrimes (-15.0).
        CollectionAssert.AreEqual(new[] { "loadConfig", "buildLabels", "(garbage collector)", "countPrimes" }, diff.SampledChanges.Take(4).Select(c => c.Name).ToArray());
        for (int i = 1; i < diff.SampledChanges.Count; i++)
            Assert.IsGreaterThanOrEqualTo(Math.Abs(diff.SampledChanges[i].SelfShareDelta), Math.Abs(diff.SampledChanges[i - 1].SelfShareDelta));

        // The answer names the regression with its sample shares, and cites the candidate's stack.
        string text = new QueryEngine().Diff(baseline, candidate, 8_000, baselineName: "hot", candidateName: "json").Summary;
        StringAssert.Contains(text, "## Sampled CPU changes");
        string line = text.Split('\n').Single(l => l.StartsWith("- new in the samples: loadConfig ", StringComparison.Ordinal));
        StringAssert.Contains(line, $"self 0.0% → {Share(jsonSelf["loadConfig"] / jsonCpu)} of sampled CPU (+{(jsonSelf["loadConfig"] / jsonCpu * 100).ToString("0.0", CultureInfo.InvariantCulture)} points; 0 ns → {TraceText.Duration((long)Math.Round(jsonSelf["loadConfig"] * 1e6))}");
        StringAssert.Matches(line, new System.Text.RegularExpressions.Regex(@" · trace:json stack:\d+$"));
        StringAssert.Contains(text, $"- busier (sampled): (garbage collector) self {Share(hotSelf["(garbage collector)"] / hotCpu)} → {Share(jsonSelf["(garbage collector)"] / jsonCpu)} of sampled CPU");
        StringAssert.Contains(text, $"- gone from the samples: buildLabels (");
        StringAssert.Contains(text, $"CPU samples ({TraceText.Duration((long)Math.Round(hotCpu * 1e6))} sampled CPU)");
    }

    [TestMethod]
    public async Task TracesDiff_MinShareOverTheServer_ThenOnlyMovesAtLeastThatLargeAreListed()
    {
        string root = TestPaths.NewTempDirectory("sampled-diff");
        File.Copy(CpuProfilePath(HotLoop), Path.Combine(root, HotLoop));
        File.Copy(CpuProfilePath(JsonParse), Path.Combine(root, JsonParse));
        await using var server = new TraceQuery.Protocol.TraceQueryServer(new QueryEngine(), new TraceQuery.Protocol.TraceQueryServerOptions { TraceRoot = root });
        await server.StartAsync();
        // 30 points: loadConfig (+44.5) and buildLabels (-34.8) move that much, the GC (+25.4) does not.
        string request = $$$"""{"jsonrpc":"2.0","id":1,"method":"traces.diff","params":{"baseline":"{{{HotLoop}}}","candidate":"{{{JsonParse}}}","min_share":0.3,"min_samples":20,"token_budget":6000}}""";
        var result = JsonDocument.Parse(await server.HandleRequestAsync(request)).RootElement.GetProperty("result");
        string text = result.GetProperty("data").GetString()!;
        StringAssert.Contains(text, "a move is ≥ 30.0 points of sampled CPU");
        StringAssert.Contains(text, "- new in the samples: loadConfig (");
        StringAssert.Contains(text, "- gone from the samples: buildLabels (");
        Assert.DoesNotContain("busier (sampled): (garbage collector)", text);
        // 31 CPU samples needed: the hot loop has 30, so nothing is compared.
        string few = $$$"""{"jsonrpc":"2.0","id":2,"method":"traces.diff","params":{"baseline":"{{{HotLoop}}}","candidate":"{{{JsonParse}}}","min_samples":31,"token_budget":6000}}""";
        string none = JsonDocument.Parse(await server.HandleRequestAsync(few)).RootElement.GetProperty("result").GetProperty("data").GetString()!;
        StringAssert.Contains(none, "stack samples: 0 sampled functions moved");
    }

    [TestMethod]
    public void Compare_SameProfileTwice_ThenNoSampledChangeAndSampledHotSpotsAreNotNewFindings()
    {
        using var a = TraceFile.Open(CpuProfilePath(JsonParse));
        using var b = TraceFile.Open(CpuProfilePath(JsonParse));
        var diff = RunComparer.Compare(a, b);
        Assert.IsEmpty(diff.SampledChanges);
        Assert.IsEmpty(diff.NewFindings);
        Assert.IsEmpty(diff.GoneFindings);
    }

    [TestMethod]
    public void Compare_ThresholdsOutOfRange_ThenTypedError()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RunDiffOptions { MinSampledShareChange = 1.5 }.Validate());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RunDiffOptions { MinSampledShareChange = double.NaN }.Validate());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new RunDiffOptions { MinCpuSamples = 0 }.Validate());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new FleetOptions { MinCpuSamples = 0 }.Validate());
    }

    [TestMethod]
    public void Analyze_FleetOfTwoCpuProfiles_ThenSampledSpreadRanksByExcessOverTheMedianAsTheFactsSay()
    {
        var (hotCpu, hotSelf) = Facts(HotLoop);
        var (jsonCpu, jsonSelf) = Facts(JsonParse);
        var set = TraceSet.FromPaths([CpuProfilePath(HotLoop), CpuProfilePath(JsonParse)]);
        var report = FleetAnalyzer.Analyze(set, new FleetOptions { MaxDegreeOfParallelism = 1 });
        // Shares per trace (0 where never sampled); with two traces the median is the lower one, so the excess is the gap.
        // loadConfig 0 → 44.5%, buildLabels 34.8% → 0, the GC 21.0% vs 46.5%, countPrimes 15.0% → 0: every other function
        // has under 6% of either run (the facts' fifth place), so these four lead, in this order.
        var expected = new (string Name, double Hot, double Json)[]
        {
            ("loadConfig", 0, jsonSelf["loadConfig"] / jsonCpu),
            ("buildLabels", hotSelf["buildLabels"] / hotCpu, 0),
            ("(garbage collector)", hotSelf["(garbage collector)"] / hotCpu, jsonSelf["(garbage collector)"] / jsonCpu),
            ("countPrimes", hotSelf["countPrimes"] / hotCpu, 0),
        };
        for (int i = 0; i < expected.Length; i++)
        {
            var spread = report.SampledSpreads[i];
            var (name, hot, json) = expected[i];
            Assert.AreEqual(name, spread.Name);
            Assert.AreEqual(2, spread.Traces);
            Assert.AreEqual(Math.Max(hot, json), spread.HighestSelfShare, 1e-9, name);
            Assert.AreEqual(Math.Min(hot, json), spread.MedianSelfShare, 1e-9, name);
            Assert.AreEqual(hot >= json ? HotLoop : JsonParse, spread.HighestTrace, name);
        }
        Assert.AreEqual((jsonSelf["loadConfig"] * 1e6), report.SampledSpreads[0].SelfNs, 1, "loadConfig's sampled self time over both runs");
        Assert.AreEqual(1, report.SampledSpreads[0].SampledIn);

        string text = new QueryEngine().SummarizeFleet(set, 8_000, new FleetOptions { MaxDegreeOfParallelism = 1 }).Summary;
        StringAssert.Contains(text, "## Sampled functions that differ most between traces");
        string line = text.Split('\n').Single(l => l.StartsWith("- loadConfig (", StringComparison.Ordinal) && l.Contains("sampled in", StringComparison.Ordinal));
        StringAssert.Contains(line, $"sampled in 1 of 2 sampled runs, self {TraceText.Duration((long)Math.Round(jsonSelf["loadConfig"] * 1e6))} in all: self share of sampled CPU median 0.0%, highest {Share(jsonSelf["loadConfig"] / jsonCpu)} in {JsonParse}");
        StringAssert.Matches(line, new System.Text.RegularExpressions.Regex(@"· trace:node20-json-parse\.cpuprofile stack:\d+$"));
        // Each trace's line says its CPU samples and its top sampled function.
        StringAssert.Contains(text, $"- {HotLoop}: ok ·");
        StringAssert.Contains(text, $"CPU samples ({TraceText.Duration((long)Math.Round(jsonCpu * 1e6))}), top (garbage collector) {Share(jsonSelf["(garbage collector)"] / jsonCpu)} self");
    }

    [TestMethod]
    public void Analyze_FleetAndDiffOfTwoNetTraces_ThenSampledSharesAgreeWithTopNAndARecount()
    {
        NetTraceFile.Register();
        var set = TraceSet.FromPaths([NetTracePath("asyncwork.nettrace"), NetTracePath("hotloop.nettrace")]);
        var report = FleetAnalyzer.Analyze(set, new FleetOptions { MaxDegreeOfParallelism = 1 });
        const string Loop = "HotLoop.SumOfSquareRoots(int32)", Checksum = "Checksum.Compute(int32,int32)";
        using var hot = NetTraceFile.Open(NetTracePath("hotloop.nettrace"));
        using var async = NetTraceFile.Open(NetTracePath("asyncwork.nettrace"));
        double loopShare = CpuSelfShare(hot, Loop), checksumShare = CpuSelfShare(async, Checksum);
        // topN (dotnet-trace's own report) gives the loop 73.99% and the checksum 19.7% of all samples, waiting ones
        // included; as a share of the CPU (running) samples each is at least that.
        Assert.IsGreaterThanOrEqualTo(0.7399 - 0.03, loopShare);
        Assert.IsGreaterThanOrEqualTo(0.197 - 0.03, checksumShare);
        var loop = report.SampledSpreads.Single(s => s.Name == Loop);
        Assert.AreEqual(("hotloop.nettrace", loopShare, 0.0), (loop.HighestTrace, loop.HighestSelfShare, loop.LowestSelfShare));
        Assert.AreEqual(Loop, report.SampledSpreads[0].Name);

        var diff = RunComparer.Compare(async, hot);
        var gone = diff.SampledChanges.Single(c => c.Name == Checksum);
        Assert.AreEqual((checksumShare, 0.0), (gone.BaselineSelfShare, gone.CandidateSelfShare));
        var added = diff.SampledChanges.Single(c => c.Name == Loop);
        Assert.AreEqual((0.0, loopShare), (added.BaselineSelfShare, added.CandidateSelfShare));
        string text = new QueryEngine().Diff(async, hot, 8_000).Summary;
        string line = text.Split('\n').Single(l => l.StartsWith($"- new in the samples: {Loop} ", StringComparison.Ordinal));
        StringAssert.Contains(line, $" self 0.0% → {Share(loopShare)} of sampled CPU");
    }

    /// <summary>A function's sampled self time over the CPU (not waiting) samples, recounted from the sample columns.</summary>
    private static double CpuSelfShare(ExecutionTrace trace, string function)
    {
        var samples = trace.Samples;
        long cpu = 0, self = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            if (samples.States[i] == SampleState.Waiting)
                continue;
            cpu += samples.WeightsNs[i];
            if (samples.Stacks[i] >= 0 && samples.Frames[samples.GetStackFrame(samples.Stacks[i])].Function == function)
                self += samples.WeightsNs[i];
        }
        return (double)self / cpu;
    }
}
