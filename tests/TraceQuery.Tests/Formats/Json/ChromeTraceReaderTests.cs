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
        Assert.AreEqual(4, trace.Metadata.SkippedEvents);
        CollectionAssert.Contains(trace.Metadata.Warnings.ToList(),
            "4 event(s) of phases the model has no place for were skipped: 'C' ×1, 'f' ×1, 'n' ×1, 's' ×1.");
    }

    [TestMethod]
    public void Open_OverlappingAsyncSiblingsAcrossThreads_ThenEachPairsWithItsOwnEnd()
    {
        using var trace = ChromeTraceReader.Open(Fixture("async.json"));
        SpanText.AreEqual(
        [
            "t1 fetch 0..20000 d1 Complete",           // ended by an 'e' on thread 2: stays on its begin thread
            "t1 fetch 2000..25000 d1 Complete",        // overlaps the first and ends after it
            "t1 dns 3000..5000 d2 Complete <fetch",    // nested under the fetch with the same id
            "t1 lost 15000..open d1 Unmatched",
            "t2 query 4250..8750 d1 Complete raised",
        ], SpanText.Spans(trace));
        SpanText.AreEqual(["CALL query @4250", "EXCEPTION query @8750 \"{\"code\": 42, \"text\": \"deadlock\"}\"", "RETURN query @8750"], SpanText.Events(trace, 2));
        CollectionAssert.Contains(trace.Metadata.Warnings.ToList(), "1 end event(s) ('E' or 'e') had no open begin to close and were ignored.");
        CollectionAssert.Contains(trace.Metadata.Warnings.ToList(), "the event array has no closing ']' (allowed by the format for traces cut short); every complete event was read.");
    }

    [TestMethod]
    public void Open_ErrorsInArgsAndCategory_ThenExceptionsCarryTheMessage()
    {
        using var trace = ChromeTraceReader.Open(Fixture("errors.json"));
        SpanText.AreEqual(
        [
            "CALL main @0",
            "CALL upload @1000",
            "EXCEPTION upload @4000 \"HttpRequestException: 503 Service Unavailable\"",
            "RETURN upload @4000",
            "CALL validate @5000",
            "EXCEPTION validate @6000 \"FormatException: bad header\"",
            "EXCEPTION validate @7000 \"assert\"",
        ], SpanText.Events(trace, 1));
        // The thread ends on an exception: the open slices were unwound by it.
        CollectionAssert.AreEqual(new[] { SpanStatus.Unwound, SpanStatus.Complete, SpanStatus.Unwound }, trace.Spans.Statuses.ToArray());
    }

    [TestMethod]
    public void Read_DuplicateTidsInTwoProcesses_ThenThreadsNumberedAndNamedWithTheProcess()
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
        CollectionAssert.AreEqual(new[] { "renderer: main", "browser" }, trace.Threads.Select(t => t.Name).ToArray());
        Assert.AreEqual("b", trace.GetFunctionName(trace.FunctionOrdinals[0]));
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
