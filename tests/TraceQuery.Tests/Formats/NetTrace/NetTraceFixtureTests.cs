using System.Globalization;
using System.Text.RegularExpressions;
using TraceQuery.Analysis;
using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.NetTrace;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.NetTrace;

/// <summary>
/// The <c>.nettrace</c> reader on recordings made here with dotnet-trace (programs and script in
/// <c>tests/fixture-programs/nettrace</c>), checked against dotnet-trace's own <c>report topN</c> output saved beside
/// each file: TraceEvent's thread-time stack source, computed without our reader.
/// </summary>
[TestClass]
public sealed partial class NetTraceFixtureTests
{
    private static string PathOf(string file) => Path.Combine(TestPaths.Fixtures, "nettrace", file);

    public static IEnumerable<object[]> Recordings() => [["hotloop", 2], ["asyncwork", 5]];

    private sealed record TopEntry(string Name, double InclusivePercent, double ExclusivePercent);

    // "1.  hotloop!HotLoop.SumOfSquareRoots(int32)      73.99%      73.99%": the name is cut at 70 characters.
    private static List<TopEntry> ReadTopN(string file)
    {
        var entries = new List<TopEntry>();
        foreach (string line in File.ReadAllLines(PathOf(file)).Skip(1))
        {
            var match = TopNLine().Match(line);
            if (match.Success)
                entries.Add(new TopEntry(match.Groups[1].Value, Percent(match.Groups[2].Value), Percent(match.Groups[3].Value)));
        }
        return entries;
    }

    private static double Percent(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\d+\.\s+(.*?)\s{2,}([\d.]+)%\s+([\d.]+)%\s*$")]
    private static partial Regex TopNLine();

    // dotnet-trace writes "module!Type.Method(args)" for the program's own module and drops namespaces elsewhere, and
    // cuts long names: a function is the one whose name holds the first 40 characters of what topN printed.
    private static bool SameFunction(TopEntry entry, string function)
    {
        string name = entry.Name;
        int bang = name.IndexOf('!', StringComparison.Ordinal);
        if (bang > 0 && bang < name.IndexOf('(', StringComparison.Ordinal))
            name = name[(bang + 1)..];
        return function.Contains(name[..Math.Min(40, name.Length)], StringComparison.Ordinal);
    }

    private sealed record RawShare(string Name, double SelfPercent, double TotalPercent);

    // topN counts every sample of every thread, waiting ones too: the raw shares of the trace's samples, whatever
    // their state (self: the leaf frame; total: on the stack, once per sample), by self share then total share.
    private static List<RawShare> RawShares(ExecutionTrace trace)
    {
        var samples = trace.Samples;
        var self = new Dictionary<string, long>(StringComparer.Ordinal);
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < samples.Count; i++)
        {
            int stack = samples.Stacks[i];
            if (stack < 0)
                continue;
            string leaf = samples.Frames[samples.GetStackFrame(stack)].Function;
            self[leaf] = self.GetValueOrDefault(leaf) + 1;
            seen.Clear();
            for (int s = stack; s >= 0; s = samples.GetStackParent(s))
            {
                string function = samples.Frames[samples.GetStackFrame(s)].Function;
                if (seen.Add(function))
                    total[function] = total.GetValueOrDefault(function) + 1;
            }
        }
        double count = samples.Count;
        return [.. total.Select(p => new RawShare(p.Key, 100.0 * self.GetValueOrDefault(p.Key) / count, 100.0 * p.Value / count))
            .OrderByDescending(r => r.SelfPercent).ThenByDescending(r => r.TotalPercent).ThenBy(r => r.Name, StringComparer.Ordinal)];
    }

    private static bool IsWaitMethod(string function) =>
        function.StartsWith("System.Threading.WaitHandle.WaitOneNoCheck", StringComparison.Ordinal)
        || function.StartsWith("System.Threading.Monitor.Wait", StringComparison.Ordinal)
        || function.StartsWith("System.Threading.LowLevelLifoSemaphore.WaitNative", StringComparison.Ordinal);

    private static List<TopEntry> ExclusiveFacts(string name) =>
        [.. ReadTopN(name + ".topN.txt").Where(e => !e.Name.StartsWith("EventName:", StringComparison.Ordinal))];

    [TestMethod]
    [DynamicData(nameof(Recordings))]
    public void Open_Recording_ThenRawSampleSelfSharesMatchDotnetTraceTopN(string name, int compared)
    {
        using var trace = NetTraceFile.Open(PathOf(name + ".nettrace"));
        var expected = ExclusiveFacts(name).Take(compared).ToList();
        var ours = RawShares(trace);
        for (int i = 0; i < compared; i++)
        {
            Assert.IsTrue(SameFunction(expected[i], ours[i].Name), $"{name}: hot function #{i + 1} is {ours[i].Name}, topN says {expected[i].Name}");
            Assert.AreEqual(expected[i].ExclusivePercent, ours[i].SelfPercent, 3.0, $"{name}: {ours[i].Name} self share");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Recordings))]
    public void Open_Recording_ThenRawSampleTotalSharesMatchDotnetTraceTopN(string name, int compared)
    {
        _ = compared;
        using var trace = NetTraceFile.Open(PathOf(name + ".nettrace"));
        var ours = RawShares(trace);
        // topN's own pseudo-frames ("Threads", "(Non-Activities)") are not code; the next four entries are the hot path's frames.
        // topN also counts the stacks of other events (its "EventName: …" entries) and weights by thread time, so its
        // outermost frames run a few points above a plain count of samples (asyncwork's Thread.StartCallback: 76.8% vs
        // 73.5%): 4 points here, 3 for self shares.
        var expected = ReadTopN(name + ".topN-inclusive.txt").Where(e => e.Name is not "Threads" and not "(Non-Activities)").Take(4).ToList();
        Assert.HasCount(4, expected);
        foreach (var entry in expected)
        {
            var function = ours.Single(f => SameFunction(entry, f.Name));
            Assert.AreEqual(entry.InclusivePercent, function.TotalPercent, 4.0, $"{name}: {function.Name} inclusive share");
        }
    }

    // How many of topN's entries the CPU-only ranking shares in order. asyncwork: topN's #2-#5 are three wait methods
    // and Garbage.Churn, whose samples are mostly taken while a GC has its thread suspended (native code: Waiting).
    public static IEnumerable<object[]> CpuRankings() => [["hotloop", 2], ["asyncwork", 1]];

    [TestMethod]
    [DynamicData(nameof(CpuRankings))]
    public void Open_Recording_ThenSampledProfileRanksTopNsRunningFunctionsInItsOrder(string name, int compared)
    {
        // The CPU-only ranking is topN's ranking without the wait methods (their samples are Waiting): the same
        // functions in the same order, each with its share of all samples within 3 points of topN's.
        using var trace = NetTraceFile.Open(PathOf(name + ".nettrace"));
        var profile = SampledProfile.Compute(trace);
        double allNs = profile.CpuNs + profile.WaitingNs;
        var expected = ExclusiveFacts(name).Where(e => !IsWaitMethod(ExpandedName(e.Name))).Take(compared).ToList();
        var ours = profile.TopBySelf(expected.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.IsTrue(SameFunction(expected[i], ours[i].Name), $"{name}: sampled hot function #{i + 1} is {ours[i].Name}, topN (running only) says {expected[i].Name}");
            Assert.AreEqual(expected[i].ExclusivePercent, 100.0 * ours[i].SelfNs / allNs, 3.0, $"{name}: {ours[i].Name} sampled self share");
        }
    }

    // topN drops namespaces outside the program's module: "WaitHandle.WaitOneNoCheck(" is System.Threading's.
    private static string ExpandedName(string topN) =>
        topN.StartsWith("WaitHandle.", StringComparison.Ordinal) || topN.StartsWith("Monitor.", StringComparison.Ordinal) || topN.StartsWith("LowLevelLifoSemaphore.", StringComparison.Ordinal)
            ? "System.Threading." + topN
            : topN;

    [TestMethod]
    public void Open_AsyncWork_ThenNoWaitMethodIsASampledHotSpotAndTheChecksumLoopRanksFirst()
    {
        using var trace = NetTraceFile.Open(PathOf("asyncwork.nettrace"));
        // Raw, the wait methods lead (topN's own ranking); as CPU samples they are not there at all.
        Assert.IsTrue(IsWaitMethod(RawShares(trace)[0].Name), RawShares(trace)[0].Name);
        var profile = SampledProfile.Compute(trace);
        var top = profile.TopBySelf(5);
        Assert.AreEqual("Checksum.Compute(int32,int32)", top[0].Name);
        Assert.IsGreaterThan(0.5, (double)top[0].SelfNs / profile.CpuNs, "Checksum.Compute: most of the CPU samples");
        // The few managed-code samples of a wait (before it blocks) stay CPU, far below a hot spot's share.
        foreach (var wait in profile.Functions.Where(f => IsWaitMethod(f.Name)))
            Assert.IsLessThan(new AnalyzerOptions().SampledHotSpotShare, (double)wait.SelfNs / profile.CpuNs, wait.Name);
        var hotSpots = new Analyzer().Analyze(trace).Findings.Where(f => f.Kind == FindingKind.SampledHotSpot).ToList();
        Assert.IsTrue(hotSpots.Any(f => f.Title.Contains("Checksum.Compute", StringComparison.Ordinal)), string.Join(" | ", hotSpots.Select(f => f.Title)));
        Assert.IsFalse(hotSpots.Any(f => f.Title.Contains("Wait", StringComparison.Ordinal)), string.Join(" | ", hotSpots.Select(f => f.Title)));
    }

    [TestMethod]
    public void Open_HotLoop_ThenTheHeaviestFoldedPathRunsFromMainThroughRunToTheLoop()
    {
        using var trace = NetTraceFile.Open(PathOf("hotloop.nettrace"));
        var heaviest = SampledProfile.Compute(trace).Paths[0];
        var frames = heaviest.Frames.ToList();
        int main = frames.IndexOf("Program.<Main>$(class System.String[])");
        Assert.IsGreaterThanOrEqualTo(0, main, heaviest.Folded);
        CollectionAssert.AreEqual(new[] { "Program.<Main>$(class System.String[])", "HotLoop.Run(int32)", "HotLoop.SumOfSquareRoots(int32)" }, frames[main..], heaviest.Folded);
    }

    [TestMethod]
    public void Open_HotLoop_ThenCaughtExceptionsAreAFindingWithTheirMessageAndThrowingMethod()
    {
        using var trace = NetTraceFile.Open(PathOf("hotloop.nettrace"));
        var analysis = new Analyzer().Analyze(trace);
        var finding = analysis.Findings.Single(f => f.Kind == FindingKind.Exception);
        Assert.Contains("ConfigParser.ParseTimeout", finding.Title);
        Assert.Contains("raised 6 exceptions", finding.Title);
        Assert.Contains("System.FormatException: timeout must be a number of seconds, got 'soon'", finding.Rationale);
    }

    [TestMethod]
    public void Open_AsyncWork_ThenActivitiesGcAndExceptionsAreMapped()
    {
        using var trace = NetTraceFile.Open(PathOf("asyncwork.nettrace"));
        var lanes = trace.Threads.Where(t => t.Track == SpanTrack.Async).Select(t => t.Name).ToArray();
        CollectionAssert.AreEqual(new[] { "GC", "activities: Fixture-Requests" }, lanes);
        var stats = new Analyzer().ComputeFunctionStats(trace);
        var requests = stats.Single(f => f.Module == "Fixture-Requests");
        Assert.AreEqual("Request", requests.Name);
        Assert.AreEqual(4, requests.Count, "four RequestStart/RequestStop pairs, paired by request id");
        Assert.IsTrue(stats.Any(f => f.Module == "GC" && f.Name.StartsWith("GC gen", StringComparison.Ordinal)), "GC start/end spans");
        var finding = new Analyzer().Analyze(trace).Findings.Single(f => f.Kind == FindingKind.Exception);
        Assert.Contains("OrderStore.Load", finding.Title);
        Assert.Contains("is not in the store", finding.Rationale);
        Assert.AreEqual(trace.Metadata.CpuSamples, trace.Samples.Count, "every sample is a stack sample");
        Assert.IsFalse(stats.Any(f => f.Name.StartsWith("Checksum.", StringComparison.Ordinal)), "no frame spans: samples are stack samples");
    }

    [TestMethod]
    public void Open_AsyncWork_ThenWaitMethodsAreWaitingSamplesAndTheChecksumLoopIsRunning()
    {
        using var trace = NetTraceFile.Open(PathOf("asyncwork.nettrace"));
        var samples = trace.Samples;
        var states = new Dictionary<string, (long Running, long Waiting)>(StringComparer.Ordinal);
        for (int i = 0; i < samples.Count; i++)
        {
            if (samples.Stacks[i] < 0)
                continue;
            string leaf = samples.Frames[samples.GetStackFrame(samples.Stacks[i])].Function;
            var sum = states.GetValueOrDefault(leaf);
            states[leaf] = samples.States[i] == SampleState.Waiting ? (sum.Running, sum.Waiting + 1) : (sum.Running + 1, sum.Waiting);
            Assert.AreEqual(1_000_000L, samples.WeightsNs[i], "weight: the sample profiler's interval");
        }
        var wait = states.Single(p => p.Key.StartsWith("System.Threading.WaitHandle.WaitOneNoCheck", StringComparison.Ordinal)).Value;
        var loop = states["Checksum.Compute(int32,int32)"];
        // A thread blocked in a wait is sampled in native code (External); the checksum loop runs managed code.
        Assert.IsGreaterThan(0.9, (double)wait.Waiting / (wait.Running + wait.Waiting), $"WaitOneNoCheck: {wait}");
        Assert.IsGreaterThan(0.9, (double)loop.Running / (loop.Running + loop.Waiting), $"Checksum.Compute: {loop}");
        Assert.IsGreaterThan(50L, wait.Waiting + loop.Running, $"{wait} {loop}");
    }

    [TestMethod]
    public void TraceFileOpen_RegisteredReader_ThenOpensNetTraceByContent()
    {
        NetTraceFile.Register();
        string path = PathOf("hotloop.nettrace");
        Assert.AreEqual(TraceFileFormat.Registered, TraceFile.DetectFormat(path));
        using var trace = TraceFile.Open(path);
        Assert.AreEqual("nettrace", trace.Metadata.SourceFormat);
        Assert.IsGreaterThan(0L, trace.Metadata.CpuSamples);
    }

    [TestMethod]
    public void Open_NotANetTrace_ThenTypedErrorAtOffsetZero()
    {
        string path = Path.Combine(Path.GetTempPath(), $"tq-not-nettrace-{Guid.NewGuid():N}.nettrace");
        File.WriteAllText(path, "{\"traceEvents\":[]}");
        try
        {
            var error = Assert.ThrowsExactly<TraceFormatException>(() => NetTraceFile.Open(path));
            Assert.AreEqual(0L, error.Offset);
            Assert.Contains("does not start with the bytes \"Nettrace\"", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
