using System.Text;
using TraceQuery.Analysis;
using TraceQuery.Formats.Chrome;
using TraceQuery.Model;

namespace TraceQuery.Tests.Formats.Samples;

/// <summary>
/// Legacy Chrome sample records (ph <c>P</c> with <c>sf</c> into the top-level <c>stackFrames</c> dictionary, or with a
/// <c>stack</c> of names). No trace in real-traces holds them, so the inputs here are small hand-written test inputs (not
/// real traces), and every expected figure below is computed by hand in the comments.
/// </summary>
[TestClass]
public sealed class LegacyChromeSamplesTests
{
    // Test input, written by hand. stackFrames: 1 main (app.js) < 2 loadConfig (app.js) < 3 JSON.parse (v8);
    // 4 render (app.js) under 1 (parent as a number); 5 (idle), no category.
    // Thread 7 (pid 1), by time: 1000 sf 3, 1100 sf 3, 1250 sf 4, 1300 sf "2", 1400 sf 5 (idle), 1700 sf 99 (unknown).
    // Thread 8: 1050 and 1150 with "stack": main > worker > hash.
    private const string Events = """
        [
          {"ph":"M","name":"thread_name","pid":1,"tid":7,"args":{"name":"CrRendererMain"}},
          {"ph":"P","name":"sample","cat":"cpu","pid":1,"tid":7,"ts":1100,"sf":3},
          {"ph":"P","name":"sample","cat":"cpu","pid":1,"tid":7,"ts":1000,"sf":3},
          {"ph":"P","name":"sample","cat":"cpu","pid":1,"tid":7,"ts":1250,"sf":4},
          {"ph":"P","name":"sample","cat":"cpu","pid":1,"tid":7,"ts":1300,"sf":"2"},
          {"ph":"P","name":"sample","cat":"cpu","pid":1,"tid":7,"ts":1400,"sf":5},
          {"ph":"P","name":"sample","cat":"cpu","pid":1,"tid":7,"ts":1700,"sf":99},
          {"ph":"P","name":"sample","cat":"cpu","pid":1,"tid":8,"ts":1050,"stack":["main","worker","hash"]},
          {"ph":"P","name":"sample","cat":"cpu","pid":1,"tid":8,"ts":1150,"stack":["main","worker","hash"]}
        ]
        """;

    private const string StackFrames = """
        {"1":{"name":"main","category":"app.js"},"2":{"name":"loadConfig","category":"app.js","parent":"1"},
         "3":{"name":"JSON.parse","category":"v8","parent":"2"},"4":{"name":"render","category":"app.js","parent":1},
         "5":{"name":"(idle)","category":""}}
        """;

    private static ExecutionTrace Read(string json) => ChromeTraceReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "legacy-samples-test-input.json");

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void Read_LegacySamplesWithStackFrames_ThenHandComputedProfile(bool framesFirst)
    {
        string json = framesFirst
            ? "{\"stackFrames\":" + StackFrames + ",\"traceEvents\":" + Events + "}"
            : "{\"traceEvents\":" + Events + ",\"stackFrames\":" + StackFrames + "}";
        using var trace = Read(json);
        // Eight sample records, seven kept (sf 99 is not in the dictionary).
        Assert.AreEqual(8, trace.Metadata.CpuSamples);
        Assert.AreEqual(7, trace.Samples.Count);
        Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.Contains("1 legacy sample record(s) (ph P) named a stack frame id ('sf') the file's 'stackFrames' dictionary does not hold", StringComparison.Ordinal)),
            string.Join(" | ", trace.Metadata.Warnings));

        // Weights: the gap to the same thread's next sample record, the last 0. Thread 7: 100, 150, 50, 100, 300 (idle,
        // waiting; its next record is the unknown one at 1700) µs; thread 8: 100, 0 µs.
        // CPU = 100 + 150 + 50 + 100 + 100 + 0 = 500 µs; waiting 300 µs.
        var profile = SampledProfile.Compute(trace);
        Assert.AreEqual(500_000, profile.CpuNs);
        Assert.AreEqual((300_000L, 1L), (profile.WaitingNs, profile.WaitingSamples));
        // JSON.parse: leaf of the two sf 3 samples, 250 µs (50%); loadConfig self 100, total 350; main total 400; render 50.
        var parse = profile.Functions[0];
        Assert.AreEqual(("JSON.parse", "v8", 250_000L, 250_000L, 2L), (parse.Name, parse.Module, parse.SelfNs, parse.TotalNs, parse.SelfSamples));
        var load = profile.Functions.Single(f => f.Name == "loadConfig");
        Assert.AreEqual((100_000L, 350_000L), (load.SelfNs, load.TotalNs));
        // main is on every CPU stack of both threads (app.js on thread 7, no module in the stack names of thread 8): 500 µs, 6 samples.
        var main = profile.Functions.Single(f => f.Name == "main");
        Assert.AreEqual((500_000L, 6L, (string?)null), (main.TotalNs, main.TotalSamples, main.Module));
        Assert.AreEqual(50_000, profile.Functions.Single(f => f.Name == "render").SelfNs);
        Assert.AreEqual((100_000L, 2L), (profile.Functions.Single(f => f.Name == "hash").SelfNs, profile.Functions.Single(f => f.Name == "hash").SelfSamples));
        Assert.AreEqual("main;loadConfig;JSON.parse", profile.Paths[0].Folded);

        // Times: ts in µs as for every Chrome record; the first sample is at 1000 µs.
        Assert.AreEqual(1_000_000, trace.Samples.TimestampsNs[0]);
        Assert.IsTrue(trace.TryGetThread(trace.Samples.ThreadIds[0], out var thread));
        Assert.AreEqual("CrRendererMain", thread.Name);
        Assert.AreEqual(SampleState.Waiting, trace.Samples.States[trace.Samples.Count - 1]);

        // The hot spot finding is JSON.parse under loadConfig: 250 of 500 µs of CPU, all of it under loadConfig > JSON.parse.
        var hot = new Analyzer().Analyze(trace).Findings.Where(f => f.Kind == FindingKind.SampledHotSpot).ToList();
        Assert.AreEqual("50% of sampled CPU under loadConfig > JSON.parse (50% in JSON.parse itself)", hot[0].Title);
    }

    [TestMethod]
    public void Read_LegacySamplesWithoutStackFrames_ThenCountedAndSaid()
    {
        using var trace = Read("""{"traceEvents":[{"ph":"P","name":"s","pid":1,"tid":1,"ts":5,"sf":1},{"ph":"P","name":"s","pid":1,"tid":1,"ts":6,"sf":1}]}""");
        Assert.AreEqual(0, trace.Samples.Count);
        Assert.AreEqual(2, trace.Metadata.CpuSamples);
        Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.Contains("2 legacy sample record(s) (ph P) name a stack frame id ('sf') but the file has no 'stackFrames' dictionary", StringComparison.Ordinal)),
            string.Join(" | ", trace.Metadata.Warnings));
    }

    [TestMethod]
    public void Read_StackFramesWithALoopAndAMissingParent_ThenStacksCutAndCounted()
    {
        // 1 <-> 2 loop; 3's parent 9 is missing. Each sample still gets the frames up to the cut.
        using var trace = Read("""
            {"traceEvents":[{"ph":"P","name":"s","pid":1,"tid":1,"ts":5,"sf":1},{"ph":"P","name":"s","pid":1,"tid":1,"ts":6,"sf":3}],
             "stackFrames":{"1":{"name":"a","parent":"2"},"2":{"name":"b","parent":"1"},"3":{"name":"c","parent":"9"}}}
            """);
        Assert.AreEqual(2, trace.Samples.Count);
        Assert.AreEqual(2, trace.Samples.GetStackDepth(trace.Samples.Stacks[0]));
        Assert.AreEqual(1, trace.Samples.GetStackDepth(trace.Samples.Stacks[1]));
        Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.Contains("2 stack frame(s) of 'stackFrames' had a parent chain that loops, names a missing frame", StringComparison.Ordinal)),
            string.Join(" | ", trace.Metadata.Warnings));
    }

    [TestMethod]
    public void Read_DotnetTraceStackFramesOnSpans_ThenNoSamples()
    {
        // sf on B/E records (dotnet-trace's Chromium export) names the span's stack, not a sample: nothing changes there.
        using var trace = Read("""
            {"traceEvents":[{"ph":"B","name":"f","pid":1,"tid":1,"ts":5,"sf":1},{"ph":"E","pid":1,"tid":1,"ts":9,"sf":1}],
             "stackFrames":{"1":{"name":"f","category":""}}}
            """);
        Assert.AreEqual(0, trace.Samples.Count);
        Assert.AreEqual(1, trace.Spans.Count);
    }
}
