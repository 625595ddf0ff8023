using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Summaries;

/// <summary>
/// What an OpenTelemetry SDK wrote (span attributes, span links, log bodies and attributes, the error status) shows
/// wherever the real OTLP trace is shown, and is selectable by the attribute filter term.
/// </summary>
[TestClass]
public sealed class OtlpRealTraceDisplayTests
{
    private static readonly QueryEngine Engine = new(tokenCounter: new TokenCounter("gpt-4o"));
    private static readonly Lazy<ExecutionTrace> Otel = new(() => TraceFile.Open(RealTraceFiles.PathOf("otel-js-invoice-jobqueue.jsonl")));

    /// <summary>The CALL of the consumer span that processed invoice inv-1005 on its first attempt.</summary>
    private static int Inv1005Consumer(ExecutionTrace trace)
    {
        var spans = trace.Spans;
        return Enumerable.Range(0, spans.Count).Select(s => spans.StartEvents[s])
            .First(e => trace.GetFunctionName(trace.FunctionOrdinals[e]) == "process invoice"
                && trace.TryGetAttributes(e, out var a) && a.Find("messaging.message.id") == "inv-1005");
    }

    [TestMethod]
    public void GetEvents_ConsumerSpan_ThenAttributesStatusAndLinkToItsProducerAreShown()
    {
        var trace = Otel.Value;
        int call = Inv1005Consumer(trace);
        string reference = trace.GetEventRef(call).ToString();
        var result = Engine.GetEvents(trace, new EventLookupRequest { References = [reference], TokenBudget = 1_000 });
        string line = result.Summary.Split('\n').Single(l => l.Contains(reference + " call process invoice", StringComparison.Ordinal));
        // Status and kind lead; the producer's attributes follow as far as the line shows them, the rest counted.
        StringAssert.Contains(line, "args{otel.status_code=\"ERROR\", otel.status_description=\"DbError: customer 88412 not found for invoice inv-1005\", span.kind=\"CONSUMER\", messaging.system=\"rabbitmq\"");
        StringAssert.Contains(line, "+2 more}");
        StringAssert.Contains(line, "· links: → span:");
    }

    [TestMethod]
    public void Query_FullProjectionWithArgFilter_ThenTheThreeAttemptsOfInv1005AndTheirStatus()
    {
        var trace = Otel.Value;
        var result = Engine.Query(trace, new EventQueryRequest { Filter = "arg.messaging.message.id:inv-1005 and fn:\"process invoice\"", Projection = EventProjection.Full, TokenBudget = 1_500 });
        Assert.AreEqual(3, result.EventsMatched, result.Summary);
        StringAssert.Contains(result.Summary, "otel.status_description=\"DbError: customer 88412 not found for invoice inv-1005\"");
    }

    [TestMethod]
    public void Query_ErrorLog_ThenBodyAndAttributesAreShown()
    {
        var trace = Otel.Value;
        var result = Engine.Query(trace, new EventQueryRequest { Filter = "fn:log.ERROR and kind:call", Projection = EventProjection.Full, TokenBudget = 1_000 });
        Assert.AreEqual(1, result.EventsMatched, result.Summary);
        StringAssert.Contains(result.Summary, "job inv-1005 failed 3 attempts; moved to invoices.dlq");
    }

    [TestMethod]
    public void Info_OtlpTrace_ThenRecordsRelateToSpansAndLinksAreCounted()
    {
        var trace = Otel.Value;
        var result = Engine.Info(trace, new TraceInfoRequest { TokenBudget = 4_000 });
        StringAssert.Contains(result.Summary, "71");
        StringAssert.Contains(result.Summary, "links: 11 between spans");
    }
}
