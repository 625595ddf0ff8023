using TraceQuery.Generation;
using TraceQuery.Model;

namespace TraceQuery.Tests.Model;

[TestClass]
public sealed class CallSpansTests
{
    private const ulong F = 0x100000001, G = 0x100000002, H = 0x100000003;

    private sealed class Script(uint thread = 0)
    {
        private readonly List<TraceEvent> _events = [];
        private long _now = 1_000;

        public Script Call(ulong fn, uint depth, long gap = 10) => Add(fn, EventKind.Call, depth, gap);
        public Script Ret(ulong fn, uint depth, long gap = 10) => Add(fn, EventKind.Return, depth, gap);
        public Script Throw(ulong fn, uint depth, long gap = 10) => Add(fn, EventKind.Exception, depth, gap);

        private Script Add(ulong fn, EventKind kind, uint depth, long gap)
        {
            _now += gap;
            _events.Add(new TraceEvent((ulong)_now, fn, thread, kind, depth));
            return this;
        }

        public IEnumerable<TraceEvent> Events => _events;
    }

    private static ExecutionTrace Build(params Script[] scripts)
    {
        var builder = new TraceBuilder();
        foreach (var script in scripts)
            foreach (var e in script.Events)
                builder.Add(e);
        return builder.Build();
    }

    [TestMethod]
    public void Spans_NestedCalls_ThenPairedWithDurationsParentsAndSelfTime()
    {
        using var trace = Build(new Script().Call(F, 1).Call(G, 2, gap: 5).Ret(G, 2, gap: 20).Call(H, 2, gap: 5).Ret(H, 2, gap: 30).Ret(F, 1, gap: 40));
        var spans = trace.Spans;
        Assert.AreEqual(3, spans.Count);
        CollectionAssert.AreEqual(new[] { SpanStatus.Complete, SpanStatus.Complete, SpanStatus.Complete }, spans.Statuses.ToArray());
        CollectionAssert.AreEqual(new[] { -1, 0, 0 }, spans.Parents.ToArray());
        var durations = new long[3];
        spans.GetDurations(durations);
        CollectionAssert.AreEqual(new long[] { 100, 20, 30 }, durations);
        var self = new long[3];
        spans.GetSelfTimes(durations, self);
        CollectionAssert.AreEqual(new long[] { 50, 20, 30 }, self);
        CollectionAssert.AreEqual(new[] { 0, 1, 1, 2, 2, 0 }, spans.SpanOfEvent.ToArray());
        Assert.AreEqual("span:1", spans.Get(1).Ref);
        Assert.AreEqual(G, spans.Get(1).FunctionId);
    }

    [TestMethod]
    public void Spans_DeepRecursion_ThenEveryFramePairsWithItsOwnReturn()
    {
        var script = new Script();
        const int depth = 5_000;
        for (uint d = 1; d <= depth; d++)
            script.Call(F, d);
        for (uint d = depth; d >= 1; d--)
            script.Ret(F, d);
        using var trace = Build(script);
        var spans = trace.Spans;
        Assert.AreEqual(depth, spans.Count);
        for (int s = 0; s < depth; s++)
        {
            Assert.AreEqual(SpanStatus.Complete, spans.Statuses[s]);
            Assert.AreEqual(s - 1, spans.Parents[s]);
            Assert.AreEqual((2 * depth) - 1 - s, spans.GetEndEvent(s));
        }
    }

    [TestMethod]
    public void Spans_ExceptionUnwindingSeveralFrames_ThenInnerFramesUnwoundAndRaisingFrameCompletes()
    {
        // F → G → H → F(4); the exception is raised in G (depth 2): H and the inner F unwind, G then returns.
        using var trace = Build(new Script().Call(F, 1).Call(G, 2).Call(H, 3).Call(F, 4).Throw(G, 2).Ret(G, 2).Ret(F, 1));
        var spans = trace.Spans;
        CollectionAssert.AreEqual(new[] { SpanStatus.Complete, SpanStatus.Complete, SpanStatus.Unwound, SpanStatus.Unwound }, spans.Statuses.ToArray());
        Assert.AreEqual(4, spans.GetEndEvent(2));
        Assert.AreEqual(4, spans.GetEndEvent(3));
        Assert.IsTrue(spans.RaisedException(1));
        Assert.IsFalse(spans.RaisedException(2));
        Assert.AreEqual(1, spans.SpanOfEvent[4]);
    }

    [TestMethod]
    public void Spans_CrashAsLastEvent_ThenAllOpenFramesUnwound()
    {
        using var trace = Build(new Script().Call(F, 1).Call(G, 2).Call(H, 3).Throw(H, 3));
        var spans = trace.Spans;
        CollectionAssert.AreEqual(new[] { SpanStatus.Unwound, SpanStatus.Unwound, SpanStatus.Unwound }, spans.Statuses.ToArray());
        Assert.IsTrue(spans.RaisedException(2));
        Assert.AreEqual(3, spans.GetEndEvent(0));
    }

    [TestMethod]
    public void Spans_UnmatchedCallsAtThreadEnd_ThenOpenUntilThreadsLastEvent()
    {
        using var trace = Build(
            new Script(thread: 0).Call(F, 1).Call(G, 2).Ret(G, 2, gap: 50),
            new Script(thread: 1).Call(H, 1, gap: 1_000).Ret(H, 1, gap: 1_000));
        var spans = trace.Spans;
        Assert.AreEqual(SpanStatus.Unmatched, spans.Statuses[0]);
        Assert.AreEqual(-1, spans.GetEndEvent(0));
        Assert.AreEqual(trace.Timestamps[2], spans.GetEndTime(0), "open frame ends with its own thread, not the trace");
        Assert.AreEqual(SpanStatus.Complete, spans.Statuses[1]);
        Assert.AreEqual((2, 3), spans.GetThreadRange(1));
        Assert.AreEqual(1, spans.GetThreadIndex(2));
    }

    [TestMethod]
    public void Spans_OrphanReturnAndMissingReturn_ThenClassified()
    {
        // G returns without a CALL (tracing started inside it); later F's inner H loses its RETURN.
        using var trace = Build(new Script().Ret(G, 1).Call(F, 1).Call(H, 2).Ret(F, 1));
        var spans = trace.Spans;
        Assert.AreEqual(3, spans.Count);
        Assert.AreEqual(SpanStatus.OrphanReturn, spans.Statuses[0]);
        Assert.AreEqual(0, spans.GetDuration(0));
        Assert.AreEqual(SpanStatus.Complete, spans.Statuses[1]);
        Assert.AreEqual(SpanStatus.Unmatched, spans.Statuses[2]);
        Assert.AreEqual(3, spans.GetEndEvent(2), "closed when its parent returned");
    }

    [TestMethod]
    public void Spans_GeneratedTrace_ThenEqualsNaiveStackPairing()
    {
        using var trace = TraceGenerator.Generate(50_000, new TraceGeneratorOptions { Threads = 3, Anomalies = TraceAnomalies.All });
        var spans = trace.Spans;
        int calls = 0;
        for (int i = 0; i < trace.EventCount; i++)
            calls += trace.Kinds[i] == (byte)EventKind.Call ? 1 : 0;
        Assert.AreEqual(calls, spans.Count, "a well-formed trace has one span per CALL and no orphans");
        foreach (var thread in trace.Threads)
        {
            var open = new Stack<int>();
            for (int e = thread.Start; e < thread.End; e++)
            {
                if (trace.Kinds[e] == (byte)EventKind.Call)
                    open.Push(e);
                else if (trace.Kinds[e] == (byte)EventKind.Return)
                {
                    int start = open.Pop();
                    int span = spans.SpanOfEvent[e];
                    Assert.AreEqual(start, spans.StartEvents[span]);
                    Assert.AreEqual(e, spans.GetEndEvent(span));
                    Assert.AreEqual(SpanStatus.Complete, spans.Statuses[span]);
                }
            }
        }
        Assert.AreSame(spans, trace.Spans, "built once and cached");
    }

    [TestMethod]
    public void SpanColumns_FreedByAFullCollection_ThenRebuiltWithTheSameValues()
    {
        using var trace = TraceGenerator.Generate(30_000, new TraceGeneratorOptions { Threads = 3, Anomalies = TraceAnomalies.All });
        var spans = trace.Spans;
        var (durations, ordinals, weak) = ReadColumns(spans);
        for (int s = 0; s < spans.Count; s++)
        {
            Assert.AreEqual(spans.GetDuration(s), durations[s]);
            Assert.AreEqual(spans.GetFunctionOrdinal(s), ordinals[s]);
        }
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.IsFalse(weak.TryGetTarget(out _), "nothing but the trace's cache held the duration column, and it holds it weakly");
        CollectionAssert.AreEqual(durations, spans.Durations.ToArray());
        CollectionAssert.AreEqual(ordinals, spans.FunctionOrdinals.ToArray());
    }

    /// <summary>Copies of the span columns and a weak reference to the cached duration array; no reference to it stays in the caller's frame.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (long[] Durations, int[] Ordinals, WeakReference<long[]> Cached) ReadColumns(CallSpans spans) =>
        (spans.Durations.ToArray(), spans.FunctionOrdinals.ToArray(), new WeakReference<long[]>(spans.DurationColumn()));
}
