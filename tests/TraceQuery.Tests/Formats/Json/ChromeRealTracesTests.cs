using System.Text.Json;
using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Json;

/// <summary>
/// The Chrome reader on traces written by real producers (<c>../shared/fixtures/real-traces</c>), read as they are and
/// checked against facts computed independently (<c>expected.json</c>), gzipped ones included.
/// </summary>
[TestClass]
public sealed class ChromeRealTracesTests
{
    public static IEnumerable<object[]> ChromeFiles() => RealTraceFiles.Files("chrome").Select(f => new object[] { f });

    private static ExecutionTrace Open(string file) => TraceFile.Open(RealTraceFiles.PathOf(file));

    private static IEnumerable<TraceThread> CpuThreads(ExecutionTrace trace) => trace.Threads.Where(t => t.Track != SpanTrack.Async);

    private static IEnumerable<int> SpansOn(ExecutionTrace trace, Func<TraceThread, bool> lane)
    {
        foreach (var thread in trace.Threads.Where(lane))
        {
            var (start, end) = trace.Spans.GetThreadRange(thread.Index);
            for (int s = start; s < end; s++)
                yield return s;
        }
    }

    [TestMethod]
    [DynamicData(nameof(ChromeFiles))]
    public void Open_RealChromeTrace_ThenRecordsThreadsNamesAndSpansMatchTheFacts(string file)
    {
        var facts = RealTraceFiles.Facts(file);
        using var trace = Open(file);
        Assert.AreEqual(facts.GetProperty("records").GetInt64(), trace.Metadata.RecordsRead, "records");
        Assert.AreEqual(facts.GetProperty("threads").GetInt32(), CpuThreads(trace).Count(), "threads: (pid, tid) pairs with a record other than metadata");
        var names = facts.GetProperty("thread_names").EnumerateArray().Select(n => n.GetString()).Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(names, CpuThreads(trace).Select(t => t.Name).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray(), "thread names");
        int spans = SpansOn(trace, t => t.Track != SpanTrack.Async)
            .Count(s => (trace.Spans.GetMarks(s) & SpanMarks.Instant) == 0 && trace.Spans.Statuses[s] != SpanStatus.Unmatched);
        Assert.AreEqual(facts.GetProperty("spans").GetInt32(), spans, "spans: X plus paired B/E (a B never ended stays open)");
        // Instants on a lane that is no thread (the top-level log list's records) are no b/e or S/F pair.
        int asyncClosed = SpansOn(trace, t => t.Track == SpanTrack.Async).Count(s => trace.Spans.GetEndEvent(s) >= 0 && (trace.Spans.GetMarks(s) & SpanMarks.Instant) == 0);
        Assert.AreEqual(facts.GetProperty("async_spans").GetInt32(), asyncClosed, "async spans: paired b/e and S/F");
        long samples = facts.TryGetProperty("samples", out var sampleFacts) && sampleFacts.ValueKind == JsonValueKind.Object
            ? sampleFacts.GetProperty("samples").GetInt64() : 0;
        Assert.AreEqual(samples, trace.Metadata.CpuSamples, "CPU samples");
    }

    [TestMethod]
    [DynamicData(nameof(ChromeFiles))]
    public void Open_RealChromeTrace_ThenNoThreadsSelfTimeExceedsItsWallTime(string file)
    {
        using var trace = Open(file);
        var spans = trace.Spans;
        var self = new long[spans.Count];
        spans.GetSelfTimes(spans.Durations, self);
        foreach (var thread in CpuThreads(trace))
        {
            var (start, end) = spans.GetThreadRange(thread.Index);
            long sum = 0;
            for (int s = start; s < end; s++)
                sum += self[s];
            long wall = thread.Count == 0 ? 0 : thread.TimeEndNs - thread.TimeStartNs;
            Assert.IsTrue(sum <= wall, $"{file}: {thread.Label} has {sum} ns of self time in {wall} ns of wall time");
        }
    }

    [TestMethod]
    [DynamicData(nameof(ChromeFiles))]
    public void Open_RealChromeTrace_ThenEveryFlowIdWithBothEndsIsALink(string file)
    {
        var flows = RealTraceFiles.Facts(file).GetProperty("flows");
        using var trace = Open(file);
        int both = flows.GetProperty("ids_with_start").GetInt32() - flows.GetProperty("ids_start_only").GetInt32();
        // bind_id/flow_in/flow_out flows (DevTools) are links too; the facts count only s/t/f.
        Assert.IsTrue(trace.Links.Count >= both, $"{trace.Links.Count} links for {both} flow ids with both ends");
        foreach (var link in trace.Links)
        {
            Assert.AreNotEqual(link.FromEvent, link.ToEvent, "no span links to itself");
            Assert.AreEqual((byte)EventKind.Call, trace.Kinds[link.FromEvent]);
            Assert.AreEqual((byte)EventKind.Call, trace.Kinds[link.ToEvent]);
            StringAssert.StartsWith(link.Kind, "flow");
        }
    }

    [TestMethod]
    public void Open_KinetoRocm_ThenFlowsLinkCpuLaunchesToGpuKernelsOnDeviceTracks()
    {
        using var trace = Open("kineto-rocm-mi250-minitoy.json");
        Assert.AreEqual(20, trace.Links.Count, "20 ids have an 's' and an 'f'; 5 'f' have no start");
        Assert.AreEqual(16, trace.Links.Count(l => l.Kind == "flow:ac2g"));
        Assert.AreEqual(4, trace.Links.Count(l => l.Kind == "flow:fwdbwd"));
        foreach (var link in trace.Links.Where(l => l.Kind == "flow:ac2g"))
        {
            Assert.AreEqual(SpanTrack.Thread, trace.GetThreadOfEvent(link.FromEvent).Track);
            Assert.AreEqual(SpanTrack.Device, trace.GetThreadOfEvent(link.ToEvent).Track, "ac2g ends on a GPU stream");
        }
        Assert.AreEqual("PyTorch profiler (Kineto)", trace.Metadata.Producer);
        int envelope = Enumerable.Range(0, trace.Spans.Count).Single(s => trace.GetFunctionName(trace.Spans.GetFunctionOrdinal(s)) == "PyTorch Profiler (0)");
        Assert.AreEqual(SpanMarks.Envelope, trace.Spans.GetMarks(envelope));
        var streams = trace.Threads.Where(t => t.Track == SpanTrack.Device).ToArray();
        Assert.IsTrue(streams.Length > 0);
        Assert.AreEqual(5L, trace.Metadata.UnresolvedLinks, string.Join("\n", trace.Metadata.Warnings));
    }

    [TestMethod]
    public void Open_ClangTimeTrace_ThenSourceSpanKeepsItsIncludePathAndTotalRowsAreAggregates()
    {
        using var trace = Open("clang14-ftime-trace-config_parser.json");
        Assert.AreEqual("clang -ftime-trace", trace.Metadata.Producer);
        var spans = trace.Spans;
        int source = Enumerable.Range(0, spans.Count).First(s => trace.GetFunctionName(spans.GetFunctionOrdinal(s)) == "Source"
            && trace.TryGetAttributes(spans.StartEvents[s], out var a) && a.Find("detail") == "/usr/include/features.h");
        Assert.AreEqual(5_860_000, spans.GetDuration(source), "the 'Source' X record of /usr/include/features.h lasts 5860 µs");
        var totals = Enumerable.Range(0, spans.Count).Where(s => trace.GetFunctionName(spans.GetFunctionOrdinal(s)).StartsWith("Total ", StringComparison.Ordinal)).ToArray();
        Assert.AreEqual(94, totals.Length, "94 'Total' tids, one row each");
        Assert.IsTrue(totals.All(s => spans.GetMarks(s) == SpanMarks.Aggregate));
        Assert.AreEqual(SpanMarks.Envelope, spans.GetMarks(Enumerable.Range(0, spans.Count).Single(s => trace.GetFunctionName(spans.GetFunctionOrdinal(s)) == "ExecuteCompiler")));
    }

    [TestMethod]
    public void Open_DevTools65_ThenBindIdFlowsWithoutTheirOtherEndAreCountedNotLinked()
    {
        using var trace = Open("devtools-chrome65-simple-timeline.json");
        // 21 'LatencyInfo.Flow' slices carry bind_id with flow_in and flow_out, each id once: the other ends were not recorded.
        Assert.AreEqual(0, trace.Links.Count);
        Assert.AreEqual(21L, trace.Metadata.UnresolvedLinks);
        CollectionAssert.Contains(trace.Metadata.Warnings.ToList(),
            "21 slice(s) with 'bind_id' and 'flow_in' or 'flow_out' had no other slice with the same id in the file; their flows were not kept.");
    }

    [TestMethod]
    public void Open_DevToolsFourProcesses_ThenThreadsCarryProcessAndThreadNamesAndIdsAsWritten()
    {
        using var trace = Open("devtools-chrome85-parcel.json");
        var browser = trace.Threads.Single(t => t.Name == "CrBrowserMain");
        Assert.AreEqual("312", browser.ProcessId);
        Assert.AreEqual("Browser", browser.ProcessName);
        Assert.IsTrue(trace.Links.Count > 0 && trace.Links.All(l => l.Kind.StartsWith("flow", StringComparison.Ordinal)), "bind_id flows between slices of the file are links");
        Assert.AreEqual("775", browser.OriginalThreadId);
        var renderer = trace.Threads.Single(t => t.Name == "CrRendererMain");
        Assert.AreEqual("63312", renderer.ProcessId);
        Assert.AreEqual("775", renderer.OriginalThreadId, "tid 775 in two processes: two threads, ids kept apart");
        Assert.AreNotEqual(browser.Id, renderer.Id);
        Assert.AreEqual("CrRendererMain (Renderer pid 63312 tid 775)", renderer.Label);
        Assert.AreEqual(trace.Threads.Count, trace.Threads.Select(t => t.Id).Distinct().Count());
        Assert.IsTrue(trace.Threads.All(t => t.Count > 0 || t.Track != SpanTrack.Async), "no async track without spans");
        var async = trace.Threads.Where(t => t.Track == SpanTrack.Async).ToArray();
        Assert.IsTrue(async.Length >= 1);
        var mouseMove = SpansOn(trace, t => t.Track == SpanTrack.Async).Count(s => trace.GetFunctionName(trace.Spans.GetFunctionOrdinal(s)) == "InputLatency::MouseMove");
        Assert.IsTrue(mouseMove > 500, $"{mouseMove} InputLatency::MouseMove async spans");
        Assert.IsFalse(SpansOn(trace, t => t.Track != SpanTrack.Async).Any(s => trace.GetFunctionName(trace.Spans.GetFunctionOrdinal(s)) == "InputLatency::MouseMove"),
            "async spans never enter a CPU thread's stack");
    }

    [TestMethod]
    public void Open_CpuProfileOnly_ThenSaysItHoldsSamplesAndNoSpans()
    {
        using var trace = Open("chromium156-cpu-profile-only.json");
        Assert.AreEqual(26_181L, trace.Metadata.CpuSamples);
        Assert.AreEqual(26_181, trace.Samples.Count);
        CollectionAssert.Contains(trace.Metadata.Warnings.ToList(),
            "the file holds 26181 CPU samples and no spans: it is a CPU profile; its samples are read as stack samples (sampled hot functions and paths).");
        // The 358 Profile/ProfileChunk records are read as samples now, not skipped.
        Assert.IsFalse(trace.Metadata.SkippedRecords.Any(k => k.Kind.Contains("'P'", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Open_NodeAsyncHooks_ThenPromisesNeverClosedAreSaidAndTheCounterIsKept()
    {
        using var trace = Open("node20-trace-events-async.json");
        Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.StartsWith("597 async begin(s) were never ended", StringComparison.Ordinal) && w.Contains("'b PROMISE' ×597", StringComparison.Ordinal)),
            string.Join("\n", trace.Metadata.Warnings));
        CollectionAssert.AreEqual(new[] { new CounterSeries("rejections.handledAfter", 2, 0, 1, 1), new CounterSeries("rejections.unhandled", 2, 1, 1, 1) },
            trace.Metadata.Counters.ToArray());
        Assert.AreEqual("Node.js trace events", trace.Metadata.Producer);
    }

    [TestMethod]
    public void Open_DotnetTrace_ThenPseudoFramesAreMarked()
    {
        using var trace = Open("dotnet-trace-logindexer.chromium.json");
        var spans = trace.Spans;
        var cpu = Enumerable.Range(0, spans.Count).Where(s => trace.GetFunctionName(spans.GetFunctionOrdinal(s)) == "CPU_TIME").ToArray();
        Assert.IsTrue(cpu.Length > 0);
        Assert.IsTrue(cpu.All(s => spans.GetMarks(s) == SpanMarks.PseudoFrame));
    }
}
