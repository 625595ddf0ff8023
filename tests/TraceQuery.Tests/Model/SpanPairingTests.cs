using TraceQuery.Model;

namespace TraceQuery.Tests.Model;

[TestClass]
public sealed class SpanPairingTests
{
    private const ulong F = 0x100000001, G = 0x100000002;

    private static SpanRecord Span(ulong id, ulong parent, ulong start, ulong? end, ulong fn = F, uint thread = 0) =>
        new() { SpanId = id, ParentSpanId = parent, ThreadId = thread, FunctionId = fn, StartNs = start, EndNs = end };

    [TestMethod]
    public void AddSpan_OverlappingSiblingsOfOneFunction_ThenEachReturnPairsWithItsOwnCall()
    {
        // Two async siblings of F under one root: the first ends after the second started and before it ends.
        var builder = new TraceBuilder()
            .AddSpan(Span(1, 0, 100, 1_000, G))
            .AddSpan(Span(3, 1, 300, 900))
            .AddSpan(Span(2, 1, 200, 500));
        using var trace = builder.Build();
        var spans = trace.Spans;
        Assert.AreEqual(3, spans.Count);
        var byStart = Enumerable.Range(0, 3).Select(spans.Get).OrderBy(s => s.StartNs).ToArray();
        CollectionAssert.AreEqual(new long[] { 900, 300, 600 }, byStart.Select(s => s.DurationNs).ToArray());
        CollectionAssert.AreEqual(new[] { -1, byStart[0].Id, byStart[0].Id }, byStart.Select(s => s.ParentId).ToArray());
        CollectionAssert.AreEqual(new uint[] { 1, 2, 2 }, byStart.Select(s => s.Depth).ToArray());
        Assert.IsTrue(byStart.All(s => s.Status == SpanStatus.Complete));
        Assert.IsFalse(trace.WasRecovered, "sorting spans into events is not a recovery");
        // Depth pairing would have closed the 200 ns span with the RETURN at 900: the explicit link did not.
        Assert.AreEqual(500, byStart[1].EndNs);
    }

    [TestMethod]
    public void AddSpan_ChildrenBeforeParentsAndAcrossThreads_ThenDepthFromChainAndParentsOnlyOnSameThread()
    {
        var builder = new TraceBuilder()
            .AddSpan(Span(3, 2, 30, 40, thread: 1)) // grandchild first, on another thread
            .AddSpan(Span(2, 1, 20, 50))
            .AddSpan(Span(1, 0, 10, 60));
        using var trace = builder.Build();
        var spans = Enumerable.Range(0, trace.Spans.Count).Select(trace.Spans.Get).OrderBy(s => s.StartNs).ToArray();
        CollectionAssert.AreEqual(new uint[] { 1, 2, 3 }, spans.Select(s => s.Depth).ToArray());
        CollectionAssert.AreEqual(new uint[] { 0, 0, 1 }, spans.Select(s => s.ThreadId).ToArray());
        Assert.AreEqual(spans[0].Id, spans[1].ParentId);
        Assert.AreEqual(-1, spans[2].ParentId, "a parent on another thread is not linked in CallSpans");
    }

    [TestMethod]
    public void AddSpan_OpenSpanWithExceptionAsLastEvent_ThenUnwoundWithMessage()
    {
        var builder = new TraceBuilder()
            .AddSpan(Span(1, 0, 10, null, G))
            .AddSpan(Span(2, 1, 20, null))
            .AddSpanException(2, 30, "IOException: disk gone");
        using var trace = builder.Build();
        Assert.AreEqual(3, trace.EventCount);
        Assert.AreEqual((byte)EventKind.Exception, trace.Kinds[2]);
        Assert.AreEqual(F, trace.GetFunctionId(2));
        Assert.AreEqual(2u, trace.Depths[2]);
        Assert.IsTrue(trace.TryGetMessage(2, out string message));
        Assert.AreEqual("IOException: disk gone", message);
        Assert.IsFalse(trace.TryGetMessage(1, out _));
        CollectionAssert.AreEqual(new[] { SpanStatus.Unwound, SpanStatus.Unwound }, trace.Spans.Statuses.ToArray());
        Assert.IsTrue(trace.Spans.RaisedException(trace.Spans.SpanOfEvent[2]));
    }

    [TestMethod]
    public void AddSpan_ErrorStatusWithoutExceptions_ThenErrorStatusWithItsMessageAndNoException()
    {
        var builder = new TraceBuilder().AddSpan(Span(1, 0, 10, 20) with { Error = "timeout" });
        using var trace = builder.Build();
        CollectionAssert.AreEqual(new byte[] { 1, 2 }, trace.Kinds.ToArray());
        CollectionAssert.AreEqual(new long[] { 10, 20 }, trace.Timestamps.ToArray());
        Assert.IsTrue(trace.TryGetErrorStatus(0, out string message));
        Assert.AreEqual("timeout", message);
        Assert.IsFalse(trace.TryGetErrorStatus(1, out _));
        CollectionAssert.AreEqual(new[] { 0 }, trace.EventsWithErrorStatus.ToArray());
        Assert.AreEqual(SpanStatus.Error, trace.Spans.Statuses[0]);
        Assert.IsFalse(trace.Spans.RaisedException(0));
    }

    [TestMethod]
    public void AddSpan_ErrorStatusAndAnException_ThenBothKept()
    {
        var builder = new TraceBuilder().AddSpan(Span(1, 0, 10, 20) with { Error = "status text" }).AddSpanException(1, 15, "IOException: gone");
        using var trace = builder.Build();
        CollectionAssert.AreEqual(new byte[] { 1, 3, 2 }, trace.Kinds.ToArray());
        Assert.IsTrue(trace.TryGetMessage(1, out string exception));
        Assert.AreEqual("IOException: gone", exception);
        Assert.IsTrue(trace.TryGetErrorStatus(0, out string status));
        Assert.AreEqual("status text", status);
        Assert.AreEqual(SpanStatus.Error, trace.Spans.Statuses[0]);
        Assert.IsTrue(trace.Spans.RaisedException(0));
    }

    [TestMethod]
    public void AddSpan_ParentNotAdded_ThenThreadNotCompleteWithTheCount()
    {
        var builder = new TraceBuilder()
            .AddSpan(Span(1, 0, 10, 20) with { ParentSpanId = 99 })
            .AddSpan(Span(2, 0, 30, 40) with { ParentMissing = true })
            .AddSpan(Span(3, 2, 32, 38));
        using var trace = builder.Build();
        Assert.AreEqual(2, trace.Threads[0].Recovery.SpansWithMissingParent);
        Assert.IsFalse(trace.Threads[0].Recovery.IsComplete);
        Assert.IsTrue(trace.Threads[0].Recovery.IsClean);
        Assert.IsFalse(trace.WasRecovered);
    }

    [TestMethod]
    public void AddSpan_InstantsAtTheSameTimestamp_ThenNestWithoutOverlap()
    {
        // A zero-length parent with a zero-length child at the time another span ends and a third begins.
        var builder = new TraceBuilder()
            .AddSpan(Span(1, 0, 0, 100, G))
            .AddSpan(Span(2, 1, 50, 100))
            .AddSpan(Span(3, 0, 100, 100) with { Message = "log body" })
            .AddSpan(Span(4, 3, 100, 100))
            .AddSpan(Span(5, 0, 100, 200));
        using var trace = builder.Build();
        var spans = trace.Spans;
        Assert.IsTrue(spans.Statuses.ToArray().All(s => s == SpanStatus.Complete));
        // At 100: span 2 then 1 close; 3 and 5 open (outermost first), then 4; zero-length 4 then 3 close.
        CollectionAssert.AreEqual(new byte[] { 1, 1, 2, 2, 1, 1, 1, 2, 2, 2 }, trace.Kinds.ToArray());
        CollectionAssert.AreEqual(new uint[] { 1, 2, 2, 1, 1, 1, 2, 2, 1, 1 }, trace.Depths.ToArray());
        CollectionAssert.AreEqual(new ulong[] { G, F, F, G, F, F, F, F, F, F }, Enumerable.Range(0, 10).Select(trace.GetFunctionId).ToArray());
        Assert.AreEqual(trace.Spans.SpanOfEvent[4], trace.Spans.Parents[trace.Spans.SpanOfEvent[6]]);
        Assert.IsTrue(trace.TryGetMessage(4, out string body));
        Assert.AreEqual("log body", body);
    }

    [TestMethod]
    public void AddSpan_RepeatedSpanIdAndParentCycle_ThenFirstKeptWarnedAndCycleCut()
    {
        var builder = new TraceBuilder()
            .AddSpan(Span(1, 2, 10, 20))
            .AddSpan(Span(2, 1, 12, 18))
            .AddSpan(Span(2, 0, 30, 40));
        using var trace = builder.Build();
        Assert.AreEqual(2, trace.Spans.Count);
        Assert.AreEqual(1, trace.Metadata.Warnings.Count);
        StringAssert.Contains(trace.Metadata.Warnings[0], "1 span(s) repeated an earlier span id");
        CollectionAssert.AreEqual(new uint[] { 1, 2 }, new[] { trace.Spans.GetDepth(0), trace.Spans.GetDepth(1) });
    }

    [TestMethod]
    public void Add_RawEventWithMessage_ThenMessageFollowsTheEventThroughReordering()
    {
        var builder = new TraceBuilder()
            .Add(new TraceEvent(20, F, 0, EventKind.Call, 1))
            .Add(new TraceEvent(10, F, 0, EventKind.Exception, 1), "late write")
            .Add(new TraceEvent(30, F, 0, EventKind.Return, 1));
        using var trace = builder.Build();
        Assert.IsTrue(trace.Threads[0].Recovery.Reordered);
        Assert.IsTrue(trace.TryGetMessage(0, out string message));
        Assert.AreEqual("late write", message);
        Assert.AreEqual(new EventRef(0, 1), trace.GetEventRef(0));
        Assert.AreEqual("late write", trace.Messages[new EventRef(0, 1)]);
    }

    [TestMethod]
    public void Build_RawEventsAndSpansOnOneThread_ThenRejected()
    {
        var builder = new TraceBuilder().Add(new TraceEvent(1, F, 0, EventKind.Call, 1)).AddSpan(Span(1, 0, 2, 3));
        Assert.ThrowsExactly<ArgumentException>(() => builder.Build());
    }
}
