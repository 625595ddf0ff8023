using TraceQuery.Model;

namespace TraceQuery.Tests.Model;

[TestClass]
public sealed class TraceBuilderSideTableTests
{
    private const ulong F = 0x100000001, G = 0x100000002;

    private static SpanRecord Span(ulong id, ulong parent, ulong start, ulong? end, ulong fn = F, uint thread = 0) =>
        new() { SpanId = id, ParentSpanId = parent, ThreadId = thread, FunctionId = fn, StartNs = start, EndNs = end };

    private static KeyValuePair<string, string> Kv(string key, string value) => new(key, value);

    private static int CallOf(ExecutionTrace trace, long startNs, ulong fn)
    {
        for (int i = 0; i < trace.EventCount; i++)
            if (trace.Kinds[i] == (byte)EventKind.Call && trace.Timestamps[i] == startNs && trace.GetFunctionId(i) == fn)
                return i;
        throw new AssertFailedException($"no CALL at {startNs}");
    }

    [TestMethod]
    public void AddSpan_WithAttributes_ThenReadBackFromTheCallInOrder()
    {
        using var trace = new TraceBuilder()
            .AddSpan(Span(1, 0, 10, 100, G) with { Attributes = [Kv("detail", "/src/a.h"), Kv("data.url", "https://x/")] })
            .AddSpan(Span(2, 1, 20, 30))
            .Build();
        int call = CallOf(trace, 10, G);
        Assert.IsTrue(trace.TryGetAttributes(call, out var attributes));
        CollectionAssert.AreEqual(new[] { Kv("detail", "/src/a.h"), Kv("data.url", "https://x/") }, attributes.ToArray());
        Assert.AreEqual("https://x/", attributes.Find("data.url"));
        Assert.AreEqual(0, attributes.DroppedCount);
        Assert.IsFalse(trace.TryGetAttributes(CallOf(trace, 20, F), out var none), "a span without attributes has none");
        Assert.AreEqual(0, none.Count);
        Assert.AreEqual(1, trace.EventsWithAttributes.Length);
        Assert.AreEqual(call, trace.EventsWithAttributes[0]);
        Assert.AreEqual(0L, trace.Metadata.ClippedAttributeValues);
    }

    [TestMethod]
    public void AddSpan_MoreAndLongerAttributesThanTheBounds_ThenClippedWithFullLengthAndCounted()
    {
        var many = Enumerable.Range(0, 5).Select(i => Kv("k" + i, new string('v', 10 + i))).ToArray();
        using var trace = new TraceBuilder { MaxAttributesPerSpan = 3, MaxAttributeValueLength = 11 }
            .AddSpan(Span(1, 0, 10, 100) with { Attributes = many })
            .Build();
        Assert.IsTrue(trace.TryGetAttributes(0, out var attributes));
        Assert.AreEqual(3, attributes.Count);
        Assert.AreEqual(2, attributes.DroppedCount);
        Assert.AreEqual(new string('v', 10), attributes[0].Value, "a value within the bound is kept whole");
        Assert.AreEqual(new string('v', 11), attributes[1].Value);
        Assert.AreEqual(new string('v', 11) + "…[clipped, 12 chars]", attributes[2].Value);
        Assert.AreEqual(1L, trace.Metadata.ClippedAttributeValues);
        Assert.AreEqual(2L, trace.Metadata.DroppedAttributes);
        Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.StartsWith("1 attribute key(s) or value(s) were longer than 11", StringComparison.Ordinal)));
        Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.StartsWith("2 attribute(s) beyond 3 per span", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void AddSpan_SameAttributesOnConsecutiveSpansFromOneReusedList_ThenEachSpanKeepsItsOwnContentAndEveryClipIsCounted()
    {
        // The builder shares one bounded attribute set between consecutive spans with equal content (issue 18, read
        // speed); a caller that reuses and changes one list must still see each span's own values, and the clipped and
        // dropped counts must count every span, not every distinct set.
        var reused = new List<KeyValuePair<string, string>> { Kv("a", "0123456789abc"), Kv("b", "1"), Kv("c", "2") };
        var builder = new TraceBuilder { MaxAttributesPerSpan = 2, MaxAttributeValueLength = 10 };
        builder.AddSpan(Span(1, 0, 10, 20) with { Attributes = reused });
        builder.AddSpan(Span(2, 0, 30, 40) with { Attributes = reused });
        reused[1] = Kv("b", "changed");
        builder.AddSpan(Span(3, 0, 50, 60) with { Attributes = reused });
        builder.AddSpan(Span(4, 0, 70, 80) with { Attributes = [Kv("a", "0123456789abc"), Kv("b", "changed"), Kv("c", "2")] });
        using var trace = builder.Build();
        string[] b = [.. new long[] { 10, 30, 50, 70 }.Select(start => trace.TryGetAttributes(CallOf(trace, start, F), out var a) ? a[1].Value : "none")];
        CollectionAssert.AreEqual(new[] { "1", "1", "changed", "changed" }, b);
        Assert.IsTrue(trace.TryGetAttributes(CallOf(trace, 70, F), out var last));
        Assert.AreEqual("0123456789…[clipped, 13 chars]", last[0].Value);
        Assert.AreEqual(1, last.DroppedCount);
        Assert.AreEqual(4L, trace.Metadata.ClippedAttributeValues);
        Assert.AreEqual(4L, trace.Metadata.DroppedAttributes);
        Assert.AreEqual(4, trace.EventsWithAttributes.Length);
    }

    [TestMethod]
    public void AddLink_BothEndsKnownAndOneUnknown_ThenOneLinkByCallEventsAndOneUnresolvedCounted()
    {
        using var trace = new TraceBuilder()
            .AddLink(1, 2, "flow")
            .AddSpan(Span(1, 0, 10, 20))
            .AddSpan(Span(2, 0, 30, 40, G, thread: 7))
            .AddLink(2, 99, "flow")
            .AddLink(98, 1, "link")
            .Build();
        Assert.AreEqual(1, trace.Links.Count);
        var link = trace.Links[0];
        Assert.AreEqual("flow", link.Kind);
        Assert.AreEqual(CallOf(trace, 10, F), link.FromEvent);
        Assert.AreEqual(CallOf(trace, 30, G), link.ToEvent);
        Assert.AreEqual(7u, trace.GetThreadOfEvent(link.ToEvent).Id);
        Assert.AreEqual(trace.Spans.SpanOfEvent[link.ToEvent], trace.Spans.SpanOfEvent[CallOf(trace, 30, G)]);
        Assert.AreEqual(2L, trace.Metadata.UnresolvedLinks);
        Assert.IsTrue(trace.Metadata.Warnings.Contains("2 link(s) name a span that is not in the trace and were not kept: 'flow' ×1, 'link' ×1."),
            string.Join("\n", trace.Metadata.Warnings));
    }

    [TestMethod]
    public void AddSpanEvent_OutOfOrderAndForAMissingSpan_ThenSortedByTimeOnTheSpanAndTheOrphanCounted()
    {
        using var trace = new TraceBuilder()
            .AddSpanEvent(1, 50, "retry", [Kv("attempt", "2")])
            .AddSpanEvent(1, 20, "enqueue", null)
            .AddSpanEvent(5, 20, "lost", null)
            .AddSpan(Span(1, 0, 10, 100))
            .Build();
        var events = trace.GetSpanEvents(0);
        CollectionAssert.AreEqual(new[] { "enqueue", "retry" }, events.Select(e => e.Name).ToArray());
        Assert.AreEqual(50L, events[1].TimestampNs);
        Assert.AreEqual("2", events[1].Attributes.Find("attempt"));
        Assert.AreEqual(0, trace.GetSpanEvents(1).Count, "the RETURN holds no span events");
        Assert.AreEqual(1, trace.SpansWithEventsCount);
        Assert.IsTrue(trace.Metadata.Warnings.Contains("1 span event(s) named a span that is not in the trace and were not kept."));
    }

    [TestMethod]
    public void AddThread_WithIdentityAndTrack_ThenThreadCarriesThemAndSpansReportTrackAndMarks()
    {
        using var trace = new TraceBuilder()
            .AddThread(new ThreadInfo { ThreadId = 3, Name = "CrRendererMain", ProcessId = "6488", ProcessName = "Renderer", OriginalThreadId = "259" })
            .AddThread(new ThreadInfo { ThreadId = 4, ProcessId = "6488", OriginalThreadId = "260", Track = SpanTrack.Async })
            .AddSpan(Span(1, 0, 10, 100, thread: 3) with { Marks = SpanMarks.Envelope })
            .AddSpan(Span(2, 1, 20, 30, G, thread: 3))
            .AddSpan(Span(3, 0, 15, 200, G, thread: 4))
            .Build();
        Assert.IsTrue(trace.TryGetThread(3, out var main));
        Assert.AreEqual("CrRendererMain (Renderer pid 6488 tid 259)", main.Label);
        Assert.AreEqual("Renderer", main.ProcessName);
        Assert.AreEqual("6488", main.ProcessId);
        Assert.AreEqual("259", main.OriginalThreadId);
        Assert.AreEqual(SpanTrack.Thread, main.Track);
        Assert.IsTrue(trace.TryGetThread(4, out var track));
        Assert.AreEqual(SpanTrack.Async, track.Track);
        Assert.AreEqual("pid 6488 tid 260 (async)", track.Label, "without names, the producer's ids");

        var spans = trace.Spans;
        var byStart = Enumerable.Range(0, spans.Count).OrderBy(spans.GetStartTime).ToArray();
        CollectionAssert.AreEqual(new[] { SpanMarks.Envelope, SpanMarks.None, SpanMarks.None }, byStart.Select(spans.GetMarks).ToArray());
        CollectionAssert.AreEqual(new[] { SpanTrack.Thread, SpanTrack.Async, SpanTrack.Thread }, byStart.Select(spans.GetTrack).ToArray());
        Assert.IsTrue(trace.HasMarks);
    }

    [TestMethod]
    public void Build_NoSideData_ThenEmptyTablesAndNoMarks()
    {
        using var trace = new TraceBuilder().AddSpan(Span(1, 0, 10, 20)).Build();
        Assert.AreEqual(0, trace.Links.Count);
        Assert.AreEqual(0, trace.EventsWithAttributes.Length);
        Assert.IsFalse(trace.HasMarks);
        Assert.AreEqual(SpanMarks.None, trace.GetMarks(0));
        Assert.AreEqual(0, trace.Metadata.Warnings.Count);
        Assert.AreEqual("thread 0", trace.Threads[0].Label);
    }
}
