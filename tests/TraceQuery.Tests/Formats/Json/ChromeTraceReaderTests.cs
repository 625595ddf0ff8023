using TraceQuery.Formats;
using TraceQuery.Formats.Chrome;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Json;

[TestClass]
public sealed class ChromeTraceReaderTests
{
    private static string Fixture(string name) => Path.Combine(TestPaths.Fixtures, "chrome", name);

    [TestMethod]
    public void Open_AllSyncPhases_ThenSlicesNestWithFractionalMicrosecondsAndMissingEndStaysOpen()
    {
        using var trace = ChromeTraceReader.Open(Fixture("phases.json"));
        Assert.AreEqual("chrome-json", trace.Metadata.SourceFormat);
        CollectionAssert.AreEqual(new uint[] { 1, 2 }, trace.Threads.Select(t => t.Id).ToArray());
        CollectionAssert.AreEqual(new[] { "main", "worker" }, trace.Threads.Select(t => t.Name).ToArray());
        Assert.AreEqual(100_000, trace.TimeStartNs);
        SpanText.AreEqual(
        [
            "CALL run @0",
            "CALL load @500",
            "RETURN load @20750",
            "CALL checkpoint @30001",
            "RETURN checkpoint @30001",
            "CALL parse @40000",
            "RETURN parse @50001", // 150.0005 µs rounds to the nearest nanosecond
            "RETURN run @100000",
        ], SpanText.Events(trace, 1));
        SpanText.AreEqual(
        [
            "t1 run 0..100000 d1 Complete",
            "t1 load 500..20750 d2 Complete <run",
            "t1 checkpoint 30001..30001 d2 Complete <run",
            "t1 parse 40000..50001 d2 Complete <run",
            "t2 serve 10000..open d1 Unmatched",
            "t2 handle 20000..60000 d2 Complete <serve",
            "t2 handle 70000..open d2 Unmatched <serve",
        ], SpanText.Spans(trace));
        Assert.AreEqual("io", trace.Symbols.GetModuleName(trace.GetFunctionId(1)));
        Assert.AreEqual(2, trace.Metadata.SkippedEvents);
        CollectionAssert.Contains(trace.Metadata.Warnings.ToList(),
            "2 record(s) the model has no span for were skipped: Chrome phase 'C' (counter, summarised in counters) ×1, Chrome phase 'n' (async instant outside an open async span) ×1.");
        Assert.AreEqual(17L, trace.Metadata.RecordsRead);
        Assert.AreEqual(new CounterSeries("counter.bytes", 1, 10, 10, 10), trace.Metadata.Counters.Single());
        // The 's' inside 'run' on thread 1 flows to the next slice that starts on thread 2 after the 'f' ('handle' at 170 µs).
        var link = trace.Links.Single();
        Assert.AreEqual("flow:app", link.Kind);
        Assert.AreEqual("run", trace.GetFunctionName(trace.FunctionOrdinals[link.FromEvent]));
        Assert.AreEqual("handle", trace.GetFunctionName(trace.FunctionOrdinals[link.ToEvent]));
        Assert.AreEqual(170_000 - 100_000, trace.Timestamps[link.ToEvent] - trace.TimeStartNs);
        Assert.IsTrue(trace.TryGetAttributes(1, out var args), "load's args");
        Assert.AreEqual("/tmp/a", args.Find("path"));
        Assert.AreEqual(SpanMarks.Instant, trace.Spans.GetMarks(trace.Spans.SpanOfEvent[3]), "the 'i' checkpoint is an instant");
        Assert.AreEqual("indexer", trace.Threads[0].ProcessName);
        Assert.AreEqual("7", trace.Threads[0].ProcessId);
        Assert.AreEqual("1", trace.Threads[0].OriginalThreadId);
    }

    [TestMethod]
    public void Open_OverlappingAsyncSiblingsAcrossThreads_ThenEachPairsWithItsOwnEnd()
    {
        using var trace = ChromeTraceReader.Open(Fixture("async.json"));
        // Async spans live on their process's async track (lane 3, after threads 1 and 2), never in a thread's stack.
        Assert.AreEqual(SpanTrack.Async, trace.Threads.Single(t => t.Id == 3).Track);
        SpanText.AreEqual(
        [
            "t3 fetch 0..20000 d1 Complete",           // ended by an 'e' on thread 2: the track is the process's
            "t3 fetch 2000..25000 d1 Complete",        // overlaps the first and ends after it
            "t3 dns 3000..5000 d2 Complete <fetch",    // nested under the fetch with the same id
            "t3 query 4250..8750 d1 Error",           // args.error on its end: an error status
            "t3 lost 15000..open d1 Unmatched",
        ], SpanText.Spans(trace));
        Assert.IsTrue(SpanText.Events(trace, 3).Contains("CALL query @4250 error-status \"{\"code\": 42, \"text\": \"deadlock\"}\""));
        CollectionAssert.Contains(trace.Metadata.Warnings.ToList(), "1 async end record(s) ('e' or 'F') had no open begin with their id to close and were ignored.");
        CollectionAssert.Contains(trace.Metadata.Warnings.ToList(), "1 async begin(s) were never ended (open to their track's end): 'b lost' ×1.");
        CollectionAssert.Contains(trace.Metadata.Warnings.ToList(), "the event array has no closing ']' (allowed by the format for traces cut short); every complete event was read.");
    }

    [TestMethod]
    public void Open_ErrorsInArgsAndCategory_ThenErrorStatusAndExceptionsCarryTheMessage()
    {
        using var trace = ChromeTraceReader.Open(Fixture("errors.json"));
        SpanText.AreEqual(
        [
            "CALL main @0",
            "CALL upload @1000 error-status \"HttpRequestException: 503 Service Unavailable\"", // a slice's args.error is its status
            "RETURN upload @4000",
            "CALL validate @5000",
            "EXCEPTION validate @6000 \"FormatException: bad header\"",
            "EXCEPTION validate @7000 \"assert\"",
        ], SpanText.Events(trace, 1));
        // The thread ends on an exception: the open slices were unwound by it.
        CollectionAssert.AreEqual(new[] { SpanStatus.Unwound, SpanStatus.Error, SpanStatus.Unwound }, trace.Spans.Statuses.ToArray());
    }

    [TestMethod]
    public void Read_DuplicateTidsInTwoProcesses_ThenThreadsNumberedAndCarryTheProcess()
    {
        const string json = """
            [{"name":"process_name","ph":"M","pid":1,"args":{"name":"browser"}},
             {"name":"process_name","ph":"M","pid":2,"args":{"name":"renderer"}},
             {"name":"thread_name","ph":"M","pid":2,"tid":5,"args":{"name":"main"}},
             {"name":"a","ph":"X","ts":1,"dur":1,"pid":1,"tid":5},
             {"name":"b","ph":"X","ts":1,"dur":1,"pid":2,"tid":5}]
            """;
        using var trace = ChromeTraceReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "two.json");
        CollectionAssert.AreEqual(new uint[] { 0, 1 }, trace.Threads.Select(t => t.Id).ToArray());
        // Numbered by the first record other than metadata: a thread_name alone makes no thread.
        CollectionAssert.AreEqual(new[] { "browser pid 1 tid 5", "main (renderer pid 2 tid 5)" }, trace.Threads.Select(t => t.Label).ToArray());
        CollectionAssert.AreEqual(new[] { null, "main" }, trace.Threads.Select(t => t.Name).ToArray());
        Assert.AreEqual("a", trace.GetFunctionName(trace.FunctionOrdinals[0]));
    }

    [TestMethod]
    public void Read_FuzzSeedOfRealProducerShapes_ThenEveryNewPathIsTaken()
    {
        byte[] seed = TraceQuery.Fuzz.SeedCorpus.ChromeTraces()[^1];
        using var trace = ChromeTraceReader.Read(new MemoryStream(seed), "seed.json");
        Assert.AreEqual("clang -ftime-trace", trace.Metadata.Producer);
        CollectionAssert.AreEquivalent(new[] { "flow:ac2g", "flow:chrome" }, trace.Links.Select(l => l.Kind).ToArray());
        Assert.AreEqual(SpanTrack.Device, trace.Threads.Single(t => t.Name == "stream 7 ").Track);
        Assert.AreEqual(3L, trace.Metadata.CpuSamples);
        Assert.AreEqual(2, trace.Metadata.Counters.Count);
        var spans = trace.Spans;
        int total = Enumerable.Range(0, spans.Count).Single(s => trace.GetFunctionName(spans.GetFunctionOrdinal(s)) == "Total Source");
        Assert.AreEqual(SpanMarks.Aggregate, spans.GetMarks(total));
        int source = Enumerable.Range(0, spans.Count).Single(s => trace.GetFunctionName(spans.GetFunctionOrdinal(s)) == "Source");
        Assert.IsTrue(trace.TryGetAttributes(spans.StartEvents[source], out var args));
        CollectionAssert.AreEqual(new[] { "detail", "data.url", "data.frames", "n", "ok" }, args.Select(a => a.Key).ToArray());
        Assert.AreEqual("[1,2,{\"x\":null}]", args.Find("data.frames"));
        Assert.AreEqual("1.5e3", args.Find("n"));
        int stage = Enumerable.Range(0, spans.Count).Single(s => trace.GetFunctionName(spans.GetFunctionOrdinal(s)) == "stage");
        Assert.AreEqual(SpanTrack.Async, spans.GetTrack(stage));
        Assert.AreEqual("frame", trace.GetFunctionName(spans.GetFunctionOrdinal(spans.Parents[stage])), "nested within one async id");
        int legacy = Enumerable.Range(0, spans.Count).Single(s => trace.GetFunctionName(spans.GetFunctionOrdinal(s)) == "Legacy");
        Assert.AreEqual("Legacy", trace.GetSpanEvents(spans.StartEvents[legacy]).Single().Name, "the T step is a span event");
        Assert.AreEqual("tick", trace.GetSpanEvents(spans.StartEvents[stage]).Single().Name, "the n instant is a span event of the innermost open span");
        Assert.IsTrue(trace.Threads.Any(t => t.ProcessId == "Spans" && t.Track == SpanTrack.Async), "a string pid is kept as written");
        CollectionAssert.Contains(trace.Metadata.SkippedRecords.Select(k => k.Kind).ToList(), "Chrome phase 'O' (object snapshot)");
    }

    [TestMethod]
    public void Open_ByContent_ThenTraceOpenPicksTheChromeReader()
    {
        Assert.AreEqual(TraceFileFormat.ChromeJson, TraceFile.DetectFormat(Fixture("phases.json")));
        Assert.AreEqual(TraceFileFormat.ChromeJson, TraceFile.DetectFormat(Fixture("async.json")));
        using var trace = TraceFile.Open(Fixture("phases.json"));
        Assert.AreEqual(12, trace.EventCount);
    }
}
