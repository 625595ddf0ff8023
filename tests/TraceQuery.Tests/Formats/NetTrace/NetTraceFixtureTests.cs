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
    // Lanes the reader adds beside the sampled threads: their spans are not samples.
    private static readonly string[] NonSampleModules = ["GC", "Fixture-Requests", "clr"];

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
    private static bool SameFunction(TopEntry entry, FunctionStats function)
    {
        string name = entry.Name;
        int bang = name.IndexOf('!', StringComparison.Ordinal);
        if (bang > 0 && bang < name.IndexOf('(', StringComparison.Ordinal))
            name = name[(bang + 1)..];
        return function.Name.Contains(name[..Math.Min(40, name.Length)], StringComparison.Ordinal);
    }

    private static (List<FunctionStats> Sampled, long TotalNs) SampledFunctions(ExecutionTrace trace)
    {
        var sampled = new Analyzer().ComputeFunctionStats(trace).Where(f => !NonSampleModules.Contains(f.Module)).ToList();
        return (sampled, sampled.Sum(f => f.SelfTotalNs));
    }

    [TestMethod]
    [DynamicData(nameof(Recordings))]
    public void Open_Recording_ThenHotFunctionsBySampledSelfTimeMatchDotnetTraceTopN(string name, int compared)
    {
        using var trace = NetTraceFile.Open(PathOf(name + ".nettrace"));
        var (sampled, totalNs) = SampledFunctions(trace);
        var expected = ReadTopN(name + ".topN.txt").Where(e => !e.Name.StartsWith("EventName:", StringComparison.Ordinal)).Take(compared).ToList();
        var ours = Analyzer.TopFunctions(sampled, FunctionMetric.Self, compared);
        for (int i = 0; i < compared; i++)
        {
            Assert.IsTrue(SameFunction(expected[i], ours[i]), $"{name}: hot function #{i + 1} is {ours[i].Name}, topN says {expected[i].Name}");
            double share = 100.0 * ours[i].SelfTotalNs / totalNs;
            Assert.AreEqual(expected[i].ExclusivePercent, share, 3.0, $"{name}: {ours[i].Name} self share");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Recordings))]
    public void Open_Recording_ThenHotPathsByInclusiveTimeMatchDotnetTraceTopN(string name, int compared)
    {
        _ = compared;
        using var trace = NetTraceFile.Open(PathOf(name + ".nettrace"));
        var (sampled, totalNs) = SampledFunctions(trace);
        // topN's own pseudo-frames ("Threads", "(Non-Activities)") are not code; the next four entries are the hot path's frames.
        var expected = ReadTopN(name + ".topN-inclusive.txt").Where(e => e.Name is not "Threads" and not "(Non-Activities)").Take(4).ToList();
        Assert.HasCount(4, expected);
        foreach (var entry in expected)
        {
            var function = sampled.Single(f => SameFunction(entry, f));
            double share = 100.0 * function.TotalNs / totalNs;
            Assert.AreEqual(entry.InclusivePercent, share, 3.0, $"{name}: {function.Name} inclusive share");
        }
    }

    [TestMethod]
    public void Open_HotLoop_ThenTheHotPathRunsFromMainThroughRunToTheLoop()
    {
        using var trace = NetTraceFile.Open(PathOf("hotloop.nettrace"));
        var spans = trace.Spans;
        string NameOf(int s) => trace.GetFunctionName(spans.GetFunctionOrdinal(s));
        // The heaviest frame span of the loop, and its ancestors.
        int loop = Enumerable.Range(0, spans.Count)
            .Where(s => NameOf(s) == "HotLoop.SumOfSquareRoots(int32)")
            .MaxBy(s => spans.GetDuration(s));
        var path = new List<string>();
        for (int s = loop; s >= 0; s = spans.Parents[s])
            path.Add(NameOf(s));
        path.Reverse();
        CollectionAssert.AreEqual(new[] { "Program.<Main>$(class System.String[])", "HotLoop.Run(int32)", "HotLoop.SumOfSquareRoots(int32)" }, path);
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
        Assert.AreEqual(trace.Metadata.CpuSamples, CountSamples(trace), "every sample is a leaf sample of one frame span");
    }

    [TestMethod]
    public void Open_AsyncWork_ThenWaitMethodsAreWaitingSamplesAndTheChecksumLoopIsRunning()
    {
        using var trace = NetTraceFile.Open(PathOf("asyncwork.nettrace"));
        var states = new Dictionary<string, (long Running, long Waiting)>(StringComparer.Ordinal);
        for (int i = 0; i < trace.EventsWithAttributes.Length; i++)
        {
            var attributes = trace.GetAttributesAt(i);
            if (attributes.Find("samples.running") is not { } running)
                continue;
            string function = trace.Symbols.GetName(trace.GetFunctionId(trace.EventsWithAttributes[i]));
            var sum = states.GetValueOrDefault(function);
            states[function] = (sum.Running + long.Parse(running, CultureInfo.InvariantCulture), sum.Waiting + long.Parse(attributes.Find("samples.waiting")!, CultureInfo.InvariantCulture));
        }
        var wait = states.Single(p => p.Key.StartsWith("System.Threading.WaitHandle.WaitOneNoCheck", StringComparison.Ordinal)).Value;
        var loop = states["Checksum.Compute(int32,int32)"];
        // A thread blocked in a wait is sampled in native code (External); the checksum loop runs managed code.
        Assert.IsGreaterThan(0.9, (double)wait.Waiting / (wait.Running + wait.Waiting), $"WaitOneNoCheck: {wait}");
        Assert.IsGreaterThan(0.9, (double)loop.Running / (loop.Running + loop.Waiting), $"Checksum.Compute: {loop}");
        Assert.IsGreaterThan(50L, wait.Waiting + loop.Running, $"{wait} {loop}");
    }

    private static long CountSamples(ExecutionTrace trace)
    {
        long samples = 0;
        for (int i = 0; i < trace.EventsWithAttributes.Length; i++)
        {
            var attributes = trace.GetAttributesAt(i);
            if (attributes.Find("samples.running") is { } running)
                samples += long.Parse(running, CultureInfo.InvariantCulture) + long.Parse(attributes.Find("samples.waiting")!, CultureInfo.InvariantCulture);
        }
        return samples;
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
