using System.Text;
using TraceQuery.Formats;
using TraceQuery.Formats.Otlp;
using TraceQuery.Model;

namespace TraceQuery.Tests.Formats.Json;

/// <summary>
/// OTLP/JSON as producers write it (JSON or proto field names, hex or base64 ids, enum names or numbers, times
/// as strings or numbers, Jaeger's api_v3 envelope) reads to the same trace; what the model keeps beyond calls
/// (attributes, span events, links, log bodies) is kept; what it cannot hold is skipped and said.
/// </summary>
[TestClass]
public sealed class OtlpProducerVariantsTests
{
    // One trace: a SERVER root with an attribute and a span event, a CLIENT child with an error status and no
    // exception event, linked to the root. Ids: trace 0102…10, root 1112…18, child 2122…28.
    private const string JsonNamesHex = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},
         "scopeSpans":[{"scope":{"name":"s"},"spans":[
          {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"1112131415161718","parentSpanId":"","name":"GET /cart",
           "kind":2,"startTimeUnixNano":"1000","endTimeUnixNano":"9000",
           "attributes":[{"key":"http.route","value":{"stringValue":"/cart"}},{"key":"http.status_code","value":{"intValue":"500"}}],
           "events":[{"timeUnixNano":"2000","name":"cache miss","attributes":[{"key":"key","value":{"stringValue":"cart:7"}}]}],
           "status":{"code":2,"message":"upstream failed"}},
          {"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"2122232425262728","parentSpanId":"1112131415161718","name":"SELECT cart",
           "kind":3,"startTimeUnixNano":3000,"endTimeUnixNano":8000,
           "links":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"1112131415161718"}],
           "status":{"code":2,"message":"deadlock detected"}}]}]}]}
        """;

    // The same in proto field names, base64 ids (standard, URL-safe, unpadded), enum names and number times.
    private const string ProtoNamesBase64 = """
        {"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"shop"}}]},
         "scope_spans":[{"scope":{"name":"s"},"spans":[
          {"trace_id":"AQIDBAUGBwgJCgsMDQ4PEA==","span_id":"ERITFBUWFxg=","parent_span_id":"","name":"GET /cart",
           "kind":"SPAN_KIND_SERVER","start_time_unix_nano":1000,"end_time_unix_nano":9000,
           "attributes":[{"key":"http.route","value":{"string_value":"/cart"}},{"key":"http.status_code","value":{"int_value":"500"}}],
           "events":[{"time_unix_nano":2000,"name":"cache miss","attributes":[{"key":"key","value":{"string_value":"cart:7"}}]}],
           "status":{"code":"STATUS_CODE_ERROR","message":"upstream failed"}},
          {"trace_id":"AQIDBAUGBwgJCgsMDQ4PEA","span_id":"ISIjJCUmJyg","parent_span_id":"ERITFBUWFxg=","name":"SELECT cart",
           "kind":"SPAN_KIND_CLIENT","start_time_unix_nano":"3000","end_time_unix_nano":"8000",
           "links":[{"trace_id":"AQIDBAUGBwgJCgsMDQ4PEA==","span_id":"ERITFBUWFxg="}],
           "status":{"code":"STATUS_CODE_ERROR","message":"deadlock detected"}}]}]}]}
        """;

    private static ExecutionTrace Read(string json) => OtlpJsonReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "variant.json");

    private static string[] Describe(ExecutionTrace trace)
    {
        var lines = new List<string>(SpanText.Spans(trace));
        lines.AddRange(SpanText.Events(trace, trace.Threads[0].Id));
        for (int e = 0; e < trace.EventCount; e++)
        {
            if (trace.TryGetAttributes(e, out var attributes))
                lines.Add($"attrs@{e} " + string.Join(", ", attributes.Select(a => a.Key + "=" + a.Value)));
            foreach (var spanEvent in trace.GetSpanEvents(e))
                lines.Add($"event@{e} {spanEvent.Name} @{spanEvent.TimestampNs - trace.TimeStartNs} " + string.Join(", ", spanEvent.Attributes.Select(a => a.Key + "=" + a.Value)));
        }
        foreach (var link in trace.Links)
            lines.Add($"link {link.FromEvent}->{link.ToEvent} {link.Kind}");
        return [.. lines];
    }

    [TestMethod]
    public void Read_JsonNamesAndHexIds_ThenAttributesEventsLinksAndStatusKept()
    {
        using var trace = Read(JsonNamesHex);
        SpanText.AreEqual(
        [
            // Error statuses without exception events are statuses with their messages, not EXCEPTION events.
            "t1 GET /cart 0..8000 d1 Error",
            "t1 SELECT cart 2000..7000 d2 Error <GET /cart",
            "CALL GET /cart @0 error-status \"upstream failed\"",
            "CALL SELECT cart @2000 error-status \"deadlock detected\"",
            "RETURN SELECT cart @7000",
            "RETURN GET /cart @8000",
            "attrs@0 otel.status_code=ERROR, otel.status_description=upstream failed, span.kind=SERVER, http.route=/cart, http.status_code=500",
            "event@0 cache miss @1000 key=cart:7",
            "attrs@1 otel.status_code=ERROR, otel.status_description=deadlock detected, span.kind=CLIENT",
            "link 1->0 link",
        ], Describe(trace));
        Assert.AreEqual("trace 0102030405060708090a0b0c0d0e0f10", trace.Threads[0].Name);
        Assert.AreEqual(2L, trace.Metadata.RecordsRead);
        Assert.AreEqual(0, trace.Metadata.SkippedRecords.Count);
        Assert.AreEqual(0, trace.Metadata.Warnings.Count, string.Join(" | ", trace.Metadata.Warnings));
    }

    [TestMethod]
    public void Read_ProtoNamesBase64IdsEnumNames_ThenSameTraceAsJsonNamesAndHex()
    {
        using var reference = Read(JsonNamesHex);
        using var variant = Read(ProtoNamesBase64);
        SpanText.AreEqual(Describe(reference), Describe(variant));
        Assert.AreEqual(reference.Threads[0].Name, variant.Threads[0].Name);
    }

    [TestMethod]
    public void Read_JaegerApiV3EnvelopeAndJsonLines_ThenSameTrace()
    {
        using var reference = Read(JsonNamesHex);
        string oneLine = JsonNamesHex.Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal);
        using var jaeger = Read("{\"result\":" + oneLine + "}");
        SpanText.AreEqual(Describe(reference), Describe(jaeger));
        // Jaeger's streaming form: one envelope per line.
        using var lines = Read("{\"result\":" + oneLine + "}\n{\"result\":{\"resourceSpans\":[]}}\n");
        SpanText.AreEqual(Describe(reference), Describe(lines));
    }

    [TestMethod]
    public void DetectFormat_ProtoNamesOrJaegerEnvelopeOrBom_ThenOtlp()
    {
        Assert.AreEqual(TraceFileFormat.OtlpJson, TraceFile.DetectFormat(Encoding.UTF8.GetBytes(ProtoNamesBase64)));
        Assert.AreEqual(TraceFileFormat.OtlpJson, TraceFile.DetectFormat(Encoding.UTF8.GetBytes("{\"result\":" + JsonNamesHex + "}")));
        Assert.AreEqual(TraceFileFormat.OtlpJson, TraceFile.DetectFormat([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(JsonNamesHex)]));
    }

    [TestMethod]
    public void Read_TimesBeyondInt64_ThenRelativeToTheFirstTimeAndSaid()
    {
        // fixed64 times above 2^63 (9,223,372,036,854,775,807): all of them, 8,000 ns apart.
        string json = JsonNamesHex.Replace("\"1000\"", "\"18000000000000001000\"", StringComparison.Ordinal)
            .Replace("\"9000\"", "\"18000000000000009000\"", StringComparison.Ordinal)
            .Replace("\"2000\"", "\"18000000000000002000\"", StringComparison.Ordinal)
            .Replace(":3000", ":18000000000000003000", StringComparison.Ordinal)
            .Replace(":8000", ":18000000000000008000", StringComparison.Ordinal);
        using var trace = Read(json);
        using var reference = Read(JsonNamesHex);
        SpanText.AreEqual(Describe(reference), Describe(trace));
        Assert.AreEqual(0L, trace.TimeStartNs);
        Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.StartsWith("times go beyond what signed 64-bit nanoseconds hold (up to 18000000000000009000 ns); every time is shown relative to the first, 18000000000000001000 ns", StringComparison.Ordinal)),
            string.Join(" | ", trace.Metadata.Warnings));
    }

    [TestMethod]
    public void Read_OneTimeBeyondInt64AmongNormalOnes_ThenThatSpanSkippedAndSaid()
    {
        string json = JsonNamesHex.Replace(":8000", ":18446744073709551615", StringComparison.Ordinal);
        using var trace = Read(json);
        Assert.AreEqual(1, trace.Spans.Count);
        Assert.AreEqual(1000L, trace.TimeStartNs); // absolute times kept for the rest
        CollectionAssert.Contains(trace.Metadata.SkippedRecords.ToArray(), new SkippedRecordKind("OTLP span whose start or end time is beyond what signed 64-bit nanoseconds hold", 1));
        Assert.IsFalse(trace.Metadata.Warnings.Any(w => w.Contains("TraceEvent", StringComparison.Ordinal)));
        // The link from the skipped span went with it.
        Assert.AreEqual(0, trace.Links.Count);
    }

    [TestMethod]
    public void Read_ParentsNotInTheFile_ThenCountedAndWarned()
    {
        string json = JsonNamesHex.Replace("\"parentSpanId\":\"\"", "\"parentSpanId\":\"0f0f0f0f0f0f0f0f\"", StringComparison.Ordinal);
        using var trace = Read(json);
        Assert.AreEqual(2, trace.Spans.Count);
        Assert.IsTrue(trace.Metadata.Warnings.Contains(
            "1 span(s) name a parent span that is not in the file (first: 'GET /cart' in trace 0102030405060708090a0b0c0d0e0f10, parent 0f0f0f0f0f0f0f0f); they are shown as roots, so their traces are incomplete."),
            string.Join(" | ", trace.Metadata.Warnings));
    }

    [TestMethod]
    public void Read_LinkToASpanNotInTheFile_ThenCountedNotKept()
    {
        string json = JsonNamesHex.Replace("\"links\":[{\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"1112131415161718\"}]",
            "\"links\":[{\"traceId\":\"ffffffffffffffffffffffffffffffff\",\"spanId\":\"1112131415161718\",\"attributes\":[{\"key\":\"a\",\"value\":{\"intValue\":1}}]}]", StringComparison.Ordinal);
        using var trace = Read(json);
        Assert.AreEqual(0, trace.Links.Count);
        Assert.AreEqual(1L, trace.Metadata.UnresolvedLinks);
        CollectionAssert.Contains(trace.Metadata.Warnings.ToArray(), "1 span link(s) point to a span that is not in the file (another trace, or not exported); they were not kept.");
        CollectionAssert.Contains(trace.Metadata.Warnings.ToArray(), "1 attribute(s) of span links were not kept (links keep their two spans only).");
    }

    [TestMethod]
    public void Read_ExceptionEventAndErrorStatus_ThenExceptionCarriesTypeAndStatusStaysAnAttribute()
    {
        string json = JsonNamesHex.Replace("\"links\":",
            "\"events\":[{\"timeUnixNano\":\"5000\",\"name\":\"exception\",\"attributes\":[{\"key\":\"exception.type\",\"value\":{\"stringValue\":\"40P01\"}},{\"key\":\"exception.message\",\"value\":{\"stringValue\":\"deadlock detected\"}}]}],\"links\":",
            StringComparison.Ordinal);
        using var trace = Read(json);
        var events = SpanText.Events(trace, trace.Threads[0].Id);
        CollectionAssert.Contains(events, "EXCEPTION SELECT cart @4000 \"40P01: deadlock detected\"");
        Assert.AreEqual(1, events.Count(e => e.StartsWith("EXCEPTION SELECT cart", StringComparison.Ordinal)), string.Join("\n", events));
        Assert.IsTrue(trace.TryGetAttributes(1, out var attributes));
        Assert.AreEqual("deadlock detected", attributes.Find("otel.status_description"));
    }

    [TestMethod]
    public void Read_BadIdsAndKinds_ThenTypedErrorWithOffset()
    {
        var e = Assert.ThrowsExactly<TraceFormatException>(() => Read(JsonNamesHex.Replace("\"1112131415161718\",\"parentSpanId\"", "\"11121314\",\"parentSpanId\"", StringComparison.Ordinal)).Dispose());
        StringAssert.Contains(e.Message, "'spanId' holds '11121314', which is neither 16 hex digits nor the base64 of 8 bytes");
        Assert.IsNotNull(e.Offset);
    }
}
