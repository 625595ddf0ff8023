using System.Text;
using System.Text.Json;
using TraceQuery.Analysis;
using TraceQuery.Formats;
using TraceQuery.Formats.Otlp;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Analysis;

/// <summary>
/// Errors the source recorded without an exception (issue 17/21): an error status is a status with its message, not a
/// made-up EXCEPTION; it is shown where spans are shown and selected by <c>status:error</c>; error statuses and ERROR logs
/// become findings whose figures are recounted here from the real OpenTelemetry trace and its independent facts.
/// </summary>
[TestClass]
public sealed class ErrorFindingTests
{
    private const string OtelFile = "otel-js-invoice-jobqueue.jsonl";
    private static readonly QueryEngine Engine = new(tokenCounter: new TokenCounter("gpt-4o"));
    private static readonly Lazy<ExecutionTrace> Otel = new(() => TraceFile.Open(RealTraceFiles.PathOf(OtelFile)));

    private static string FunctionOf(ExecutionTrace trace, int e) => trace.GetFunctionName(trace.FunctionOrdinals[e]);

    [TestMethod]
    public void Open_RealOtlp_ThenErrorStatusesPerFunctionMatchTheFacts()
    {
        var trace = Otel.Value;
        var facts = RealTraceFiles.Facts(OtelFile);
        var expected = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var function in facts.GetProperty("status_by_name").EnumerateObject())
        {
            if (function.Value.TryGetProperty("ERROR", out var count))
                expected[function.Name] = count.GetInt32();
        }
        var actual = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var spans = trace.Spans;
        for (int s = 0; s < spans.Count; s++)
        {
            if (spans.Statuses[s] == SpanStatus.Error)
            {
                string name = FunctionOf(trace, spans.StartEvents[s]);
                actual[name] = actual.GetValueOrDefault(name) + 1;
            }
        }
        CollectionAssert.AreEqual(expected.ToArray(), actual.ToArray());
        Assert.AreEqual(expected.Values.Sum(), trace.EventsWithErrorStatus.Length);
    }

    [TestMethod]
    public void Open_RealOtlp_ThenExceptionEventsAreOnlyTheRecordedOnes()
    {
        var trace = Otel.Value;
        // The facts list each error by where it was recorded; exception events say "event exception".
        long recorded = RealTraceFiles.Facts(OtelFile).GetProperty("errors").EnumerateArray()
            .Where(e => e.GetProperty("where").GetString()!.EndsWith("event exception", StringComparison.Ordinal))
            .Sum(e => e.GetProperty("count").GetInt64());
        Assert.AreEqual(recorded, trace.IndicesOfKind(EventKind.Exception).Count);
        // The dead-letter publish has a status and no exception event: its message is the status, and no EXCEPTION names it.
        int dlq = trace.EventsWithErrorStatus.ToArray().Single(e => FunctionOf(trace, e) == "invoices.dlq publish");
        Assert.IsTrue(trace.TryGetErrorStatus(dlq, out string message));
        Assert.AreEqual("max retries exceeded", message);
        Assert.IsFalse(trace.IndicesOfKind(EventKind.Exception).Any(e => FunctionOf(trace, e) == "invoices.dlq publish"));
    }

    [TestMethod]
    public void Filter_StatusError_ThenSelectsTheErrorSpansAndKindExceptionOnlyExceptions()
    {
        var trace = Otel.Value;
        var errors = Engine.Query(trace, new EventQueryRequest { Filter = "status:error", TokenBudget = 4_000 });
        Assert.AreEqual(trace.EventsWithErrorStatus.Length, errors.EventsMatched, errors.Summary);
        var exceptions = Engine.Query(trace, new EventQueryRequest { Filter = "kind:exception", TokenBudget = 4_000 });
        Assert.AreEqual(trace.IndicesOfKind(EventKind.Exception).Count, exceptions.EventsMatched, exceptions.Summary);
    }

    [TestMethod]
    public void Show_ErrorSpan_ThenSpansListEventsGetAndFullQueryCarryTheStatusMessage()
    {
        var trace = Otel.Value;
        int dlq = trace.EventsWithErrorStatus.ToArray().Single(e => FunctionOf(trace, e) == "invoices.dlq publish");
        const string Shown = "error-status=\"max retries exceeded\"";
        var list = Engine.ListSpans(trace, new SpanListRequest { Function = "invoices.dlq publish", TokenBudget = 2_000 });
        StringAssert.Contains(list.Summary, Shown);
        StringAssert.Contains(list.Summary, " error");
        var lookup = Engine.GetEvents(trace, new EventLookupRequest { References = [trace.GetEventRef(dlq).ToString()], TokenBudget = 1_000 });
        StringAssert.Contains(lookup.Summary, Shown);
        var query = Engine.Query(trace, new EventQueryRequest { Filter = "status:error and fn:\"invoices.dlq publish\"", Projection = EventProjection.Full, TokenBudget = 1_000 });
        Assert.AreEqual(1, query.EventsMatched, query.Summary);
        StringAssert.Contains(query.Summary, Shown);
    }

    [TestMethod]
    public void Analyze_RealOtlp_ThenErrorStatusAndErrorLogAreFindingsWithTheirMessages()
    {
        var trace = Otel.Value;
        var findings = new Analyzer().Analyze(trace).Findings;
        var dlq = findings.Single(f => f.Kind == FindingKind.Error && f.Title.StartsWith("invoices.dlq publish", StringComparison.Ordinal));
        Assert.AreEqual("invoices.dlq publish ended with error status: \"max retries exceeded\"", dlq.Title);
        var log = findings.Single(f => f.Kind == FindingKind.Error && f.Title.StartsWith("ERROR log", StringComparison.Ordinal));
        StringAssert.Contains(log.Title, "job inv-1005 failed 3 attempts; moved to invoices.dlq");
        long errorLogs = RealTraceFiles.Facts(OtelFile).GetProperty("log_severity").GetProperty("17/ERROR").GetInt64();
        StringAssert.StartsWith(log.Rationale, $"{errorLogs} log record{(errorLogs == 1 ? "" : "s")} at ERROR");
        // Spans that raised exceptions are reported with their exceptions, not a second time by their status.
        Assert.IsFalse(findings.Any(f => f.Kind == FindingKind.Error && f.Title.StartsWith("process invoice", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Analyze_ErrorPropagatesToTheCaller_ThenTheCalleeRanksFirstAsTheRootCause()
    {
        const ulong Caller = 1, Callee = 2;
        var builder = new TraceBuilder()
            .AddSymbol(new SymbolInfo(Caller, "handle_request")).AddSymbol(new SymbolInfo(Callee, "query_db"))
            .AddSpan(new SpanRecord { SpanId = 1, ThreadId = 0, FunctionId = Caller, StartNs = 0, EndNs = 100, Error = "request failed" })
            .AddSpan(new SpanRecord { SpanId = 2, ParentSpanId = 1, ThreadId = 0, FunctionId = Callee, StartNs = 10, EndNs = 50, Error = "connection reset" });
        using var trace = builder.Build();
        var errors = new Analyzer().Analyze(trace).Findings.Where(f => f.Kind == FindingKind.Error).ToList();
        Assert.AreEqual(2, errors.Count);
        Assert.AreEqual("query_db ended with error status: \"connection reset\"", errors[0].Title);
        StringAssert.Contains(errors[1].Rationale, "Each followed a callee that failed first");
    }

    [TestMethod]
    public void Read_OtlpParentNotInTheFile_ThenItsThreadIsNotCompleteInInfo()
    {
        const string Json = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},
             "scopeSpans":[{"spans":[
              {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"1112131415161718","parentSpanId":"0f0f0f0f0f0f0f0f","name":"GET /cart","startTimeUnixNano":"1000","endTimeUnixNano":"5000"},
              {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"2122232425262728","parentSpanId":"1112131415161718","name":"SELECT cart","startTimeUnixNano":"2000","endTimeUnixNano":"3000"}]}]}]}
            """;
        using var trace = OtlpJsonReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(Json)), "partial.json");
        var thread = trace.Threads.Single(t => t.Count > 0);
        Assert.AreEqual(1, thread.Recovery.SpansWithMissingParent);
        var info = Engine.Info(trace, new TraceInfoRequest { TokenBudget = 2_000 });
        StringAssert.Contains(info.Summary, "not complete: 1 span whose parent is not in the file");
    }

    [TestMethod]
    public void Open_RealOtlp_ThenThreadsMarkedIncompleteAddUpToTheOrphanFact()
    {
        var trace = Otel.Value;
        long orphans = RealTraceFiles.Facts(OtelFile).GetProperty("orphans").GetInt64();
        Assert.AreEqual(orphans, trace.Threads.Sum(t => t.Recovery.SpansWithMissingParent));
        Assert.AreEqual(orphans == 0, trace.Threads.All(t => t.Recovery.IsComplete));
    }
}
