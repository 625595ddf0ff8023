using TraceQuery.Model;

namespace TraceQuery.Tests.Model;

[TestClass]
public sealed class TraceTests
{
    private static ExecutionTrace Build(params TraceEvent[] events)
    {
        var builder = new TraceBuilder();
        builder.AddThread(5); // a thread with no events
        foreach (var e in events)
            builder.Add(e);
        return builder.Build();
    }

    [TestMethod]
    public void Build_EventsOfSeveralThreads_ThenColumnsAreThreadMajorAndRoundTripEvents()
    {
        var events = new[]
        {
            new TraceEvent(100, 0xA00000001, 2, EventKind.Call, 1),
            new TraceEvent(150, 0xB00000001, 0, EventKind.Call, 1),
            new TraceEvent(200, 0xA00000001, 2, EventKind.Return, 1),
            new TraceEvent(250, 0xB00000001, 0, EventKind.Return, 1),
        };
        using var trace = Build(events);

        Assert.AreEqual(4, trace.EventCount);
        CollectionAssert.AreEqual(new uint[] { 0, 2, 5 }, trace.Threads.Select(t => t.Id).ToArray());
        Assert.AreEqual(0, trace.Threads[2].Count);
        CollectionAssert.AreEqual(new long[] { 150, 250, 100, 200 }, trace.Timestamps.ToArray());
        CollectionAssert.AreEqual(new ulong[] { 0xA00000001, 0xB00000001 }, trace.FunctionIds.ToArray());
        Assert.AreEqual(events[0], trace.GetEvent(2));
        Assert.AreEqual(events[3], trace.GetEvent(1));
        Assert.AreEqual(100, trace.TimeStartNs);
        Assert.AreEqual(250, trace.TimeEndNs);
    }

    [TestMethod]
    public void GetMergedOrder_InterleavedThreads_ThenSortedByTimeThenThread()
    {
        using var trace = Build(
            new TraceEvent(10, 1, 0, EventKind.Call, 1),
            new TraceEvent(30, 1, 0, EventKind.Return, 1),
            new TraceEvent(10, 2, 1, EventKind.Call, 1),
            new TraceEvent(20, 2, 1, EventKind.Return, 1),
            new TraceEvent(5, 3, 2, EventKind.Call, 1),
            new TraceEvent(40, 3, 2, EventKind.Return, 1));

        var merged = trace.GetMergedOrder().ToArray();
        var times = merged.Select(i => trace.Timestamps[i]).ToArray();
        var threads = merged.Select(i => trace.GetThreadOfEvent(i).Id).ToArray();
        CollectionAssert.AreEqual(new long[] { 5, 10, 10, 20, 30, 40 }, times);
        CollectionAssert.AreEqual(new uint[] { 2, 0, 1, 1, 0, 2 }, threads);
    }

    [TestMethod]
    public void GetEventRef_AndBack_ThenEveryEventResolves()
    {
        using var trace = TraceQuery.Generation.TraceGenerator.Generate(1_000);
        for (int i = 0; i < trace.EventCount; i++)
        {
            var reference = trace.GetEventRef(i);
            Assert.IsTrue(trace.TryGetEventIndex(reference, out int back));
            Assert.AreEqual(i, back);
        }
        Assert.IsFalse(trace.TryGetEventIndex(new EventRef(99, 0), out _));
        Assert.IsFalse(trace.TryGetEventIndex(new EventRef(0, 1_000_000), out _));
    }

    [TestMethod]
    public void Build_InvalidKind_ThenArgumentExceptionNamesThreadAndEvent()
    {
        var builder = new TraceBuilder();
        builder.Add(new TraceEvent(1, 1, 3, EventKind.Call, 1));
        builder.Add(new TraceEvent(2, 1, 3, (EventKind)9, 1));
        var e = Assert.ThrowsExactly<ArgumentException>(() => builder.Build());
        StringAssert.Contains(e.Message, "Thread 3, event 1");
        StringAssert.Contains(e.Message, "InvalidKind");
    }

    [TestMethod]
    public void Build_EmptyBuilder_ThenEmptyTrace()
    {
        using var trace = new TraceBuilder().Build();
        Assert.AreEqual(0, trace.EventCount);
        Assert.AreEqual(0, trace.Threads.Count);
        Assert.AreEqual(0, trace.GetMergedOrder().Length);
        Assert.AreEqual(0, trace.TimeStartNs);
    }
}
