using TraceQuery.Filtering;
using TraceQuery.Formats;
using TraceQuery.Formats.Otlp;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Json;

[TestClass]
public sealed class OtlpJsonReaderTests
{
    private static string Fixture(string name) => Path.Combine(TestPaths.Fixtures, "otlp", name);

    [TestMethod]
    public void Open_SeveralResources_ThenSpansPairByIdentityWithServicesAsModules()
    {
        using var trace = OtlpJsonReader.Open(Fixture("traces.json"));
        Assert.AreEqual("otlp-json", trace.Metadata.SourceFormat);
        CollectionAssert.AreEqual(new uint[] { 7, 8, 9 }, trace.Threads.Select(t => t.Id).ToArray());
        CollectionAssert.AreEqual(
            new[] { "db-pool-1", "trace 5b8efff798038103d269b633813fc60c", "trace 0af7651916cd43dd8448eb211c80319c" },
            trace.Threads.Select(t => t.Name).ToArray());
        SpanText.AreEqual(
        [
            "t7 SELECT stock 6000000..20000000 d3 Complete",                // parent on another thread: depth 3, no link
            "t8 POST /checkout 0..50000000 d1 Complete",                     // its parent is not in the file: a root
            "t8 reserve 5000000..30000000 d2 Complete <POST /checkout",
            "t8 reserve 10000000..40000000 d2 Error <POST /checkout",   // overlapping sibling of the same name; error status, no exception event
            "t8 charge 41000000..49000000 d2 Error raised <POST /checkout", // error status and an exception event
            "t9 nightly job 1000000000..1000000000 d1 Complete",             // ended before it started: zero length
            "t9 still running 1000000500..open d2 Unmatched <nightly job",
        ], SpanText.Spans(trace));
        SpanText.AreEqual(
        [
            "CALL POST /checkout @0",
            "CALL reserve @5000000",
            "CALL reserve @10000000 error-status \"out of stock\"",
            "RETURN reserve @30000000",
            "RETURN reserve @40000000",
            "CALL charge @41000000 error-status \"\"", // an error status without a description, and an exception event
            "EXCEPTION charge @45000000 \"PaymentDeclined: card expired\nat Charge()\n at Checkout()\"",
            "RETURN charge @49000000",
            "RETURN POST /checkout @50000000",
        ], SpanText.Events(trace, 8));
        Assert.AreEqual("checkout", trace.Symbols.GetModuleName(trace.GetFunctionId(trace.Threads[1].Start)));
        Assert.AreEqual("inventory", trace.Symbols.GetModuleName(trace.GetFunctionId(trace.Threads[0].Start)));
        // The span event other than an exception ("retry") is kept on its span, not skipped.
        Assert.AreEqual(0, trace.Metadata.SkippedEvents);
        int charge = Enumerable.Range(0, trace.EventCount).Single(e => trace.Kinds[e] == (byte)EventKind.Call && trace.GetFunctionName(trace.FunctionOrdinals[e]) == "charge");
        Assert.AreEqual("retry @46000000", string.Join(", ", trace.GetSpanEvents(charge).Select(e => e.Name + " @" + (e.TimestampNs - trace.TimeStartNs))));
        Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.StartsWith("1 span(s) had endTimeUnixNano before startTimeUnixNano (first at byte ", StringComparison.Ordinal)),
            string.Join(" | ", trace.Metadata.Warnings));
        Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.StartsWith("1 span(s) name a parent span that is not in the file (first: 'POST /checkout'", StringComparison.Ordinal)),
            string.Join(" | ", trace.Metadata.Warnings));
    }

    [TestMethod]
    public void Open_JsonLinesWithLogs_ThenLogsAreInstantsUnderTheirSpanAndErrorFindsThem()
    {
        Assert.AreEqual(TraceFileFormat.OtlpJson, TraceFile.DetectFormat(Fixture("lines.jsonl")));
        using var trace = TraceFile.Open(Fixture("lines.jsonl"));
        CollectionAssert.AreEqual(new uint[] { 3, 4 }, trace.Threads.Select(t => t.Id).ToArray());
        Assert.AreEqual("logs api", trace.Threads[1].Name);
        SpanText.AreEqual(
        [
            "CALL GET /items @0",
            "CALL log.ERROR @1000 \"db timeout after 5s\"",
            "RETURN log.ERROR @1000",
            "RETURN GET /items @7000",
        ], SpanText.Events(trace, 3));
        SpanText.AreEqual(
        [
            "CALL log.INFO @2000 \"cache warm\"",
            "RETURN log.INFO @2000",
            "CALL log.WARNING @3000 \"{\"values\":[{\"key\":\"k\",\"value\":{\"intValue\":\"1\"}}]}\"",
            "RETURN log.WARNING @3000",
        ], SpanText.Events(trace, 4));
        Assert.AreEqual(2, trace.Metadata.SkippedEvents, string.Join(" | ", trace.Metadata.Warnings));

        var selected = EventFilter.Parse("error").Evaluate(trace);
        CollectionAssert.AreEqual(new[] { 1, 2 }, selected.Indices().ToArray());
    }

    [TestMethod]
    public void Read_TimesAsNumbersAndStringsAndUpperCaseIds_ThenSameTrace()
    {
        static string Span(string start, string end, string id) =>
            $$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"{{id}}","spanId":"{{id[..16]}}","name":"x","startTimeUnixNano":{{start}},"endTimeUnixNano":{{end}}}]}]}]}""";
        using var a = OtlpJsonReader.Read(Stream(Span("\"10\"", "\"25\"", "abcdef0123456789abcdef0123456789")), "a");
        using var b = OtlpJsonReader.Read(Stream(Span("10", "25", "ABCDEF0123456789ABCDEF0123456789")), "b");
        CollectionAssert.AreEqual(a.Timestamps.ToArray(), b.Timestamps.ToArray());
        CollectionAssert.AreEqual(new long[] { 10, 25 }, b.Timestamps.ToArray());
        Assert.AreEqual("unknown_service", b.Symbols.GetModuleName(b.GetFunctionId(0)));
        Assert.AreEqual(a.Threads[0].Name, b.Threads[0].Name);
    }

    internal static MemoryStream Stream(string json) => new(System.Text.Encoding.UTF8.GetBytes(json));
}
