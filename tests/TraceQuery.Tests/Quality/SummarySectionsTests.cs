using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TraceQuery.Analysis;
using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Quality;

/// <summary>
/// What the summary says besides findings and hot functions, checked on the real traces against facts computed apart
/// (<c>expected.json</c>, or the file's own records read here): sampled profiles by id, self time with pseudo-frames
/// folded into callers, the longest functions by total time, the busiest threads, counters, and the errors that only a
/// producer's conventions reveal (failed requests, Kineto's top-level ERROR list).
/// </summary>
[TestClass]
public sealed class SummarySectionsTests
{
    private static readonly QueryEngine Engine = new(tokenCounter: new TokenCounter("gpt-4o"));

    private static ExecutionTrace Open(string file) => TraceFile.Open(RealTraceFiles.PathOf(file));

    private static string Summary(ExecutionTrace trace) => Engine.Summarize(trace, new SummaryRequest { TokenBudget = 4_096 }).Summary;

    /// <summary>The lines of one section of a summary (after its heading, up to the next heading or the footer).</summary>
    private static List<string> Section(string summary, string heading) =>
        [.. summary.Split('\n').SkipWhile(l => l != heading).Skip(1).TakeWhile(l => l.StartsWith("- ", StringComparison.Ordinal))];

    /// <summary>Nanoseconds of a printed duration (<c>401 ms</c>, <c>7.33 s</c>, <c>18.2 µs</c>).</summary>
    private static double Nanoseconds(string number, string unit) =>
        double.Parse(number, CultureInfo.InvariantCulture) * unit switch { "s" => 1e9, "ms" => 1e6, "µs" => 1e3, _ => 1 };

    public static IEnumerable<object[]> FilesWithSamples() =>
        RealTraceFiles.Files("chrome").Where(f => RealTraceFiles.Facts(f).TryGetProperty("samples", out var s) && s.ValueKind == JsonValueKind.Object)
            .Select(f => new object[] { f });

    [TestMethod]
    [DynamicData(nameof(FilesWithSamples))]
    public void Open_RealTraceWithCpuProfiles_ThenProfilesByIdPidAndSamplesMatchTheFacts(string file)
    {
        var facts = RealTraceFiles.Facts(file).GetProperty("samples");
        using var trace = Open(file);
        var expected = facts.GetProperty("profiles").EnumerateArray()
            .Select(p => $"{p.GetProperty("id").GetString()} pid {p.GetProperty("pid").GetRawText()}: {p.GetProperty("samples").GetInt64()}")
            .Order(StringComparer.Ordinal).ToArray();
        var read = trace.Metadata.SampleProfiles.Select(p => $"{p.Id} pid {p.ProcessId}: {p.Samples}").Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(expected, read, string.Join(" | ", read));
        Assert.AreEqual(facts.GetProperty("samples_with_unknown_node").GetInt64(), trace.Metadata.SampleProfiles.Sum(p => p.SamplesWithUnknownNode));
        Assert.AreEqual(trace.Samples.Count, trace.Metadata.SampleProfiles.Sum(p => p.SamplesKept));
    }

    [TestMethod]
    public void Summarize_ProfileWithUnknownNodes_ThenItsLineSaysNoneWereKept()
    {
        using var trace = Open("devtools-chrome85-parcel.json");
        var lines = Section(Summary(trace), AnswerSections.SampledCpu);
        CollectionAssert.Contains(lines, "- profile 0x3 (pid 63312, Renderer, thread 12): 110 samples, none kept: all name a node the profile does not hold (samples with an unknown node)");
        Assert.IsTrue(lines.Any(l => l.StartsWith("- profile 0x4 (pid 63312, Renderer, CrRendererMain): 5,947 samples; most sampled CPU on its thread in r (self 85.7 ms)", StringComparison.Ordinal)),
            string.Join("\n", lines));
        // What the waiting samples were: all (idle), 695.989 ms in the facts.
        StringAssert.Contains(lines[0], "waiting samples (696 ms: (idle) 696 ms), not CPU");
    }

    [TestMethod]
    public void Summarize_DotnetTraceStacks_ThenHotFramesWithPseudoFramesFoldedMatchTheFacts()
    {
        const string File = "dotnet-trace-logindexer.chromium.json";
        var facts = RealTraceFiles.Facts(File).GetProperty("top_self_pseudo_frames_folded").EnumerateArray()
            .Select(p => (Name: p[0].GetString()!, Ms: p[1].GetDouble())).ToList();
        using var trace = Open(File);
        var lines = Section(Summary(trace), AnswerSections.FoldedSelf);
        Assert.AreEqual(5, lines.Count, string.Join("\n", lines));
        for (int i = 0; i < lines.Count; i++)
        {
            var m = Regex.Match(lines[i], @"^- (.+) ×[\d,]+ · self ([\d.]+) (ns|µs|ms|s) with its pseudo-frames$");
            Assert.IsTrue(m.Success, lines[i]);
            Assert.AreEqual(facts[i].Name, m.Groups[1].Value);
            // Three significant digits printed: within 0.5% of the facts' milliseconds.
            Assert.AreEqual(facts[i].Ms * 1e6, Nanoseconds(m.Groups[2].Value, m.Groups[3].Value), facts[i].Ms * 1e6 * 0.005, lines[i]);
        }
    }

    [TestMethod]
    public void Summarize_KinetoBackwardPass_ThenLongestByTotalNamesAccumulateGradWithItsTotal()
    {
        const string File = "kineto-rocm-mi250-minitoy.json";
        double factMs = RealTraceFiles.Facts(File).GetProperty("top_total").EnumerateArray()
            .Single(p => p[0].GetString() == "torch::autograd::AccumulateGrad")[1].GetDouble();
        using var trace = Open(File);
        var line = Section(Summary(trace), AnswerSections.LongestByTotal).Single(l => l.StartsWith("- torch::autograd::AccumulateGrad (", StringComparison.Ordinal));
        var m = Regex.Match(line, @"· total ([\d.]+) (ns|µs|ms|s) ·");
        Assert.IsTrue(m.Success, line);
        Assert.AreEqual(factMs * 1e6, Nanoseconds(m.Groups[1].Value, m.Groups[2].Value), factMs * 1e6 * 0.005, line);
    }

    [TestMethod]
    public void Summarize_ClangCompile_ThenTheBusiestThreadIsClangWithTheWholeCompile()
    {
        const string File = "clang14-ftime-trace-config_parser.json";
        double compileMs = RealTraceFiles.Facts(File).GetProperty("top_total").EnumerateArray()
            .Single(p => p[0].GetString() == "ExecuteCompiler")[1].GetDouble();
        using var trace = Open(File);
        // The 94 lanes of 'Total …' aggregate rows are no work: clang++ is the only busy thread.
        var lines = Section(Summary(trace), AnswerSections.Threads);
        Assert.AreEqual(1, lines.Count, string.Join("\n", lines));
        var m = Regex.Match(lines[0], @"^- clang\+\+ \(pid \d+ tid \d+\) · [\d,]+ spans · outermost spans cover ([\d.]+) (ns|µs|ms|s) · most self time in PassManager<llvm::Function> \(");
        Assert.IsTrue(m.Success, lines[0]);
        Assert.AreEqual(compileMs * 1e6, Nanoseconds(m.Groups[1].Value, m.Groups[2].Value), compileMs * 1e6 * 0.005, lines[0]);
    }

    [TestMethod]
    public void Summarize_NodeTraceEvents_ThenCountersAreTheFilesCounterRecordsAndThreadsAreNamed()
    {
        const string File = "node20-trace-events-async.json";
        // The counter records as the file holds them, read here: per value key, count, min, max and the last (by time).
        using var json = JsonDocument.Parse(System.IO.File.ReadAllBytes(RealTraceFiles.PathOf(File)));
        var root = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement : json.RootElement.GetProperty("traceEvents");
        var series = new SortedDictionary<string, List<(double Ts, double Value)>>(StringComparer.Ordinal);
        foreach (var e in root.EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "C"))
        {
            foreach (var arg in e.GetProperty("args").EnumerateObject())
            {
                string key = e.GetProperty("name").GetString() + "." + arg.Name;
                if (!series.TryGetValue(key, out var values))
                    series[key] = values = [];
                values.Add((e.GetProperty("ts").GetDouble(), arg.Value.GetDouble()));
            }
        }
        var expected = series.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"- {s.Key} ×{s.Value.Count} · min {s.Value.Min(v => v.Value)} · max {s.Value.Max(v => v.Value)} · last {s.Value.OrderBy(v => v.Ts).Last().Value}")).ToList();
        Assert.AreEqual(2, expected.Count);
        using var trace = Open(File);
        string summary = Summary(trace);
        CollectionAssert.AreEqual(expected, Section(summary, AnswerSections.Counters));
        // The pool threads' work (zlib, crypto) and the one named thread.
        var threads = Section(summary, AnswerSections.Threads);
        Assert.IsTrue(threads.Any(l => l.StartsWith("- JavaScriptMainThread (pid ", StringComparison.Ordinal)), string.Join("\n", threads));
        Assert.IsTrue(Section(summary, AnswerSections.LongestByTotal).Any(l => l.StartsWith("- crypto (", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Analyze_ChromiumPageWithFailedRequests_ThenEachFailedRequestIsAnErrorWithItsUrl()
    {
        const string File = "chromium156-headless-page.json.gz";
        var messages = RealTraceFiles.Facts(File).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        using var trace = Open(File);
        var analysis = new Analyzer().Analyze(trace);
        var errors = analysis.Findings.Where(f => f.Kind == FindingKind.Error).ToList();
        Assert.AreEqual(FindingKind.Error, analysis.Findings[0].Kind, analysis.Findings[0].Title);
        foreach (string message in messages)
            Assert.IsTrue(errors.Any(f => f.Rationale.Contains('"' + message + '"', StringComparison.Ordinal)), message);
        // Error status on the request records themselves (instants), not exceptions of the task around them.
        Assert.AreEqual(messages.Count, trace.EventsWithErrorStatus.Length);
        Assert.AreEqual(0, trace.IndicesOfKind(EventKind.Exception).Count);
    }

    [TestMethod]
    public void Analyze_KinetoTopLevelErrorList_ThenEachLineIsAnErrorLogFinding()
    {
        const string File = "kineto-mtia-inference-rank0.json.gz";
        var messages = RealTraceFiles.Facts(File).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        using var trace = Open(File);
        var analysis = new Analyzer().Analyze(trace);
        var first = analysis.Findings[0];
        Assert.AreEqual((FindingKind.Error, Severity.Medium), (first.Kind, first.Severity));
        Assert.AreEqual($"ERROR log from top-level 'ERROR' list: \"{messages.Single()}\"", first.Title);
        // One log record per line, on a lane of its own (no thread of the file).
        var logs = Enumerable.Range(0, trace.Spans.Count).Where(s => trace.GetFunctionName(trace.Spans.GetFunctionOrdinal(s)) == "log.ERROR").ToList();
        Assert.AreEqual(messages.Count, logs.Count);
        Assert.AreEqual(SpanTrack.Async, trace.Spans.GetTrack(logs[0]));
    }
}
