using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TraceQuery.Analysis;
using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Text;

namespace TraceQuery.Tests.Formats.Samples;

/// <summary>
/// Evidence for samples (<c>sample:&lt;index&gt;</c>, <c>stack:&lt;id&gt;</c>) cited by sampled findings and resolved by
/// events.get, and the scoped search around a time on samples: what the threads were doing in the window.
/// </summary>
[TestClass]
public sealed partial class SampleEvidenceTests
{
    private static string CpuProfilePath(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "TraceQuery.Tests", "Fixtures", "cpuprofile", name);

    private static readonly QueryEngine Engine = new();

    /// <summary>Thread 1: main>parse (t=0 µs, 1 µs), main>load>parse (10 µs, 3 µs), idle (20 µs, 5 µs, waiting); thread 2: worker>hash (5, 15 µs; 2 µs each).</summary>
    private static ExecutionTrace Small()
    {
        var b = new TraceBuilder();
        b.AddThread(new ThreadInfo { ThreadId = 1, Name = "main" });
        int mainParse = b.AddSampleStack([new SampleFrame("main", "app.js", 1), new SampleFrame("parse", "json.js", 7, 3)]);
        int mainLoadParse = b.AddSampleStack([new SampleFrame("main", "app.js", 1), new SampleFrame("load", "app.js", 10), new SampleFrame("parse", "json.js", 7, 3)]);
        int idle = b.AddSampleStack([new SampleFrame("(idle)")]);
        int hash = b.AddSampleStack([new SampleFrame("worker", "w.js"), new SampleFrame("hash", "w.js")]);
        b.AddSample(1, 0, mainParse, 1_000, SampleState.Running);
        b.AddSample(1, 10_000, mainLoadParse, 3_000, SampleState.Running);
        b.AddSample(1, 20_000, idle, 5_000, SampleState.Waiting);
        b.AddSample(2, 5_000, hash, 2_000, SampleState.Running);
        b.AddSample(2, 15_000, hash, 2_000, SampleState.Running);
        return b.Build();
    }

    [TestMethod]
    [DataRow("sample:12", EvidenceKind.Sample, 12UL)]
    [DataRow("stack:0", EvidenceKind.Stack, 0UL)]
    [DataRow("stack:4096", EvidenceKind.Stack, 4096UL)]
    public void TryParse_SampleAndStackReferences_ThenRoundTrip(string text, EvidenceKind kind, ulong value)
    {
        Assert.IsTrue(EvidenceRef.TryParse(text, out var reference));
        Assert.AreEqual((kind, value), (reference.Kind, reference.Value));
        Assert.AreEqual(text, reference.ToString());
    }

    [TestMethod]
    [DataRow("sample:")]
    [DataRow("sample:-1")]
    [DataRow("stack:x")]
    [DataRow("stack: 3")]
    public void TryParse_MalformedSampleReference_ThenFalse(string text) => Assert.IsFalse(EvidenceRef.TryParse(text, out _));

    [TestMethod]
    public void Compute_Paths_ThenEachNamesItsHeaviestStackAndFirstCpuSample()
    {
        using var trace = Small();
        var profile = SampledProfile.Compute(trace);
        // Samples in time order: 0 main>parse (t0), 1 hash (t5), 2 main>load>parse (t10), 3 hash (t15), 4 idle (t20).
        var hash = profile.Paths.Single(p => p.Folded == "worker;hash");
        Assert.AreEqual((trace.Samples.Stacks[1], 1), (hash.Stack, hash.FirstSample));
        var load = profile.Paths.Single(p => p.Folded == "main;load;parse");
        Assert.AreEqual((trace.Samples.Stacks[2], 2), (load.Stack, load.FirstSample));
        // The waiting sample's stack is no path.
        Assert.IsFalse(profile.Paths.Any(p => p.Stack == trace.Samples.Stacks[4]));
    }

    [TestMethod]
    public void GetEvents_SampleAndStackReferences_ThenResolvedToTimeThreadStateAndFrames()
    {
        using var trace = Small();
        int loadStack = trace.Samples.Stacks[2];
        var result = Engine.GetEvents(trace, new EventLookupRequest { References = ["sample:2", $"stack:{loadStack}", "sample:4", "sample:5", "stack:99"] });
        var lines = result.Summary.Split('\n');
        string sample2 = lines.Single(l => l.StartsWith("- sample:2:", StringComparison.Ordinal));
        Assert.AreEqual($"- sample:2: +{TraceText.Duration(10_000L)} on thread 1 (main) running, weight {TraceText.Duration(3_000L)}, stack:{loadStack} "
            + "main (app.js:1) > load (app.js:10) > parse (json.js:7:3)", sample2);
        StringAssert.Contains(lines.Single(l => l.StartsWith("- sample:4:", StringComparison.Ordinal)), " waiting, weight ");
        StringAssert.Contains(lines.Single(l => l.StartsWith("- sample:5:", StringComparison.Ordinal)), "no such sample in this trace (it has 5: sample:0 to sample:4)");
        string stack = lines.Single(l => l.StartsWith($"- stack:{loadStack}:", StringComparison.Ordinal));
        StringAssert.Contains(stack, $"main (app.js:1) > load (app.js:10) > parse (json.js:7:3) · 3 frames, leaf last · 1 CPU samples ({TraceText.Duration(3_000L)}) and 0 waiting with exactly this stack · first sample:2");
        StringAssert.Contains(lines.Single(l => l.StartsWith("- stack:99:", StringComparison.Ordinal)), "no such stack in this trace");
    }

    [TestMethod]
    public void GetEvents_UnknownReferenceForm_ThenErrorNamesSampleAndStackForms()
    {
        using var trace = Small();
        var e = Assert.ThrowsExactly<QueryArgumentException>(() => Engine.GetEvents(trace, new EventLookupRequest { References = ["samples:1"] }));
        StringAssert.Contains(e.Message, "sample:<index> or stack:<id>");
    }

    [TestMethod]
    public void Analyze_CpuProfile_ThenSampledHotSpotCitesAStackWhoseLeafIsItsFunctionAndASampleOnIt()
    {
        using var trace = TraceFile.Open(CpuProfilePath("node20-json-parse.cpuprofile"));
        var hot = new Analyzer().Analyze(trace).Findings.Where(f => f.Kind == FindingKind.SampledHotSpot).ToList();
        Assert.IsNotEmpty(hot);
        foreach (var finding in hot)
        {
            Assert.HasCount(2, finding.Evidence);
            var (stack, sample) = (finding.Evidence[0], finding.Evidence[1]);
            Assert.AreEqual((EvidenceKind.Stack, EvidenceKind.Sample), (stack.Kind, sample.Kind));
            // The stack's leaf is the function the title names, and the sample is a CPU sample with exactly that stack.
            string leaf = trace.Samples.Frames[trace.Samples.GetStackFrame((int)stack.Value)].Function;
            StringAssert.Contains(finding.Title, " " + leaf + " ");
            Assert.AreEqual((int)stack.Value, trace.Samples.Stacks[(int)sample.Value]);
            Assert.IsTrue(trace.Samples.IsCpu((int)sample.Value));
            // No earlier CPU sample has that stack.
            for (int i = 0; i < (int)sample.Value; i++)
                Assert.IsFalse(trace.Samples.Stacks[i] == (int)stack.Value && trace.Samples.IsCpu(i));
        }
        // loadConfig, the facts' top function by self time after the GC pseudo-frame, is cited with its own stack.
        using var facts = JsonDocument.Parse(File.ReadAllText(CpuProfilePath("node20-json-parse.facts.json")));
        string heaviest = facts.RootElement.GetProperty("top_stacks_ms").EnumerateArray().First(e => e[0].GetString()!.EndsWith(";loadConfig", StringComparison.Ordinal))[0].GetString()!;
        var loadConfig = hot.Single(f => f.Title.Contains("loadConfig", StringComparison.Ordinal));
        int cited = (int)loadConfig.Evidence[0].Value;
        Assert.AreEqual(heaviest, string.Join(';', trace.Samples.GetFramesRootFirst(cited).Select(f => trace.Samples.Frames[f].Function)));
    }

    [TestMethod]
    public void SearchScoped_SamplesOnlyChromeProfileWholeWindow_ThenHotFunctionsMatchTheFacts()
    {
        // No spans, six instant records (and their events), 26,181 samples.
        using var trace = TraceFile.Open(RealTraceFiles.PathOf("chromium156-cpu-profile-only.json"));
        var facts = RealTraceFiles.Facts("chromium156-cpu-profile-only.json");
        long middle = (trace.TimeEndNs - trace.TimeStartNs) / 2;
        var result = Engine.SearchScoped(trace, new ScopedSearchRequest { Anchor = middle.ToString(CultureInfo.InvariantCulture), LookBackNs = middle + 1, LookAheadNs = middle + 1, TokenBudget = 4_000 });
        string text = result.Summary;
        Assert.IsLessThanOrEqualTo(4_000, result.TokenCount);
        StringAssert.Contains(text, "## Sampled CPU in the window");
        StringAssert.Contains(text, $"; {TraceText.Count(trace.Samples.Count)} stack samples in the window");
        // The heaviest function by sampled self time is isPrime, 114.455 ms (tools/chrome_facts.py), then buildGrid.
        var functions = text.Split('\n').Where(l => l.Contains(" · self ", StringComparison.Ordinal) && l.Contains(" · total ", StringComparison.Ordinal)).ToList();
        var (isPrime, isPrimeMs) = TopSelf(facts, 0);
        var (buildGrid, buildGridMs) = TopSelf(facts, 1);
        Assert.AreEqual(("isPrime", "buildGrid"), (isPrime, buildGrid));
        StringAssert.StartsWith(functions[0], $"- {isPrime} (");
        StringAssert.Contains(functions[0], $"self {TraceText.Duration((long)Math.Round(isPrimeMs * 1e6))} (");
        StringAssert.StartsWith(functions[1], $"- {buildGrid} (");
        StringAssert.Contains(functions[1], $"self {TraceText.Duration((long)Math.Round(buildGridMs * 1e6))} (");
    }

    private static (string Name, double Ms) TopSelf(JsonElement facts, int rank)
    {
        var entry = facts.GetProperty("samples").GetProperty("top_self_ms_excluding_idle_program_gc_root")[rank];
        return (entry[0].GetString()!, entry[1].GetDouble());
    }

    [TestMethod]
    public void SearchScoped_SampleAnchorNarrowWindow_ThenWindowFiguresAreTheSamplesInsideIt()
    {
        using var trace = TraceFile.Open(RealTraceFiles.PathOf("chromium156-cpu-profile-only.json"));
        var samples = trace.Samples;
        // Anchor on the first isPrime sample; 2 ms on each side.
        int anchor = Enumerable.Range(0, samples.Count).First(i => samples.Stacks[i] >= 0 && samples.Frames[samples.GetStackFrame(samples.Stacks[i])].Function == "isPrime");
        const long Side = 2_000_000;
        var result = Engine.SearchScoped(trace, new ScopedSearchRequest { Anchor = $"sample:{anchor}", LookBackNs = Side, LookAheadNs = Side, TokenBudget = 4_000 });
        long at = samples.TimestampsNs[anchor];

        // Recount the window from the columns: CPU samples (not waiting) in [at - 2 ms, at + 2 ms], leaf weights by name.
        long cpu = 0, cpuNs = 0, waiting = 0, all = 0;
        var self = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < samples.Count; i++)
        {
            long t = samples.TimestampsNs[i];
            if (t < at - Side || t > at + Side)
                continue;
            all++;
            if (samples.States[i] == SampleState.Waiting)
            {
                waiting++;
                continue;
            }
            cpu++;
            cpuNs += samples.WeightsNs[i];
            string leaf = samples.Stacks[i] < 0 ? "" : samples.Frames[samples.GetStackFrame(samples.Stacks[i])].Function;
            self[leaf] = self.GetValueOrDefault(leaf) + samples.WeightsNs[i];
        }
        var top = self.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).First();
        string text = result.Summary;
        StringAssert.Contains(text, $"# Around sample:{anchor} (running sample in isPrime on thread ");
        StringAssert.Contains(text, $"; {TraceText.Count(all)} stack samples in the window");
        StringAssert.Contains(text, $"- {TraceText.Count(cpu)} CPU samples, {TraceText.Duration(cpuNs)} sampled CPU" + (waiting > 0 ? $"; {TraceText.Count(waiting)} waiting samples" : ""));
        string first = text.Split('\n').First(l => l.Contains(" · self ", StringComparison.Ordinal) && l.Contains(" · total ", StringComparison.Ordinal));
        StringAssert.StartsWith(first, $"- {top.Key} (");
        StringAssert.Contains(first, $"self {TraceText.Duration(top.Value)} (");
        // Hot paths cite their stack, and the stack resolves to the same frames.
        var match = StackRef().Match(text);
        Assert.IsTrue(match.Success, text);
        var resolved = Engine.GetEvents(trace, new EventLookupRequest { References = [match.Value] }).Summary;
        StringAssert.Contains(resolved, "- " + match.Value + ": ");
    }

    [GeneratedRegex(@"stack:\d+")]
    private static partial Regex StackRef();

    [TestMethod]
    public void SearchScoped_SmallTraceTimeAnchor_ThenThreadsLinesAndFilterApplyToSamples()
    {
        using var trace = Small();
        // Window [4 µs, 16 µs]: hash at 5 and 15 µs (thread 2, 4 µs), main>load>parse at 10 µs (thread 1, 3 µs).
        var result = Engine.SearchScoped(trace, new ScopedSearchRequest { Anchor = "10us", LookBackNs = 6_000, LookAheadNs = 6_000 });
        string text = result.Summary;
        string us3 = TraceText.Duration(3_000L), us4 = TraceText.Duration(4_000L), us7 = TraceText.Duration(7_000L);
        StringAssert.Contains(text, $"- 3 CPU samples, {us7} sampled CPU");
        StringAssert.Contains(text, $"- hash (w.js) · self {us4} (57.1%) · total {us4} (57.1%) · 2/2 samples");
        StringAssert.Contains(text, $"- thread 2: 2 CPU samples ({us4}), mostly in hash (100% self)");
        StringAssert.Contains(text, $"- thread 1 (main): 1 CPU samples ({us3}), mostly in parse (100% self)");
        StringAssert.Contains(text, "nearest sample sample:2");

        var filtered = Engine.SearchScoped(trace, new ScopedSearchRequest { Anchor = "10us", LookBackNs = 6_000, LookAheadNs = 6_000, Filter = "fn:load" }).Summary;
        StringAssert.Contains(filtered, "; 1 stack sample matching in the window");
        StringAssert.Contains(filtered, $"- 1 CPU samples, {us3} sampled CPU");
        Assert.DoesNotContain("hash", filtered);
    }

    [TestMethod]
    public void SearchScoped_SamplesOnlyBadAnchors_ThenTypedErrors()
    {
        using var trace = Small();
        var missing = Assert.ThrowsExactly<QueryArgumentException>(() => Engine.SearchScoped(trace, new ScopedSearchRequest { Anchor = "sample:9" }));
        StringAssert.Contains(missing.Message, "this trace has 5 samples (sample:0 to sample:4)");
        var malformed = Assert.ThrowsExactly<QueryArgumentException>(() => Engine.SearchScoped(trace, new ScopedSearchRequest { Anchor = "sample:x" }));
        StringAssert.Contains(malformed.Message, "sample:<index>");
        using var empty = new TraceBuilder().Build();
        var none = Assert.ThrowsExactly<QueryArgumentException>(() => Engine.SearchScoped(empty, new ScopedSearchRequest { Anchor = "1ms" }));
        StringAssert.Contains(none.Message, "no events or stack samples");
    }

    [TestMethod]
    public void SearchScoped_DefaultWindowOnSamples_ThenThirtyTwoSamplesBackAndSixteenAheadOnTheAnchorsThread()
    {
        var b = new TraceBuilder();
        int stack = b.AddSampleStack([new SampleFrame("loop")]);
        for (int i = 0; i < 100; i++)
            b.AddSample(1, (ulong)i * 1_000, stack, 1_000, SampleState.Running);
        using var trace = b.Build();
        // Anchor sample 50 (50 µs): back to sample 18 (32 µs), ahead to sample 66 (16 µs): 49 samples.
        string text = Engine.SearchScoped(trace, new ScopedSearchRequest { Anchor = "sample:50" }).Summary;
        StringAssert.Contains(text, $"{TraceText.Offset(-32_000)} .. {TraceText.Offset(16_000)}");
        StringAssert.Contains(text, "; 49 stack samples in the window");
    }
}
