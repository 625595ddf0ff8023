using System.Diagnostics;
using TraceQuery.Analysis;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;
using TraceQuery.Recording;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;
using ExecutionTrace = TraceQuery.Model.ExecutionTrace;

namespace TraceQuery.Tests.Recording;

/// <summary>
/// Activity listeners are process-wide: every test records its own, uniquely named sources, so tests
/// (and any other listener in the process) never see each other's activities even when run in parallel.
/// </summary>
[TestClass]
public sealed class TraceRecorderTests
{
    private static readonly DateTime Base = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    public TestContext TestContext { get; set; } = null!;

    private string Prefix => "TraceQuery.Tests." + TestContext.TestName + "." + Guid.NewGuid().ToString("N")[..8];

    private static CallSpan[] SpansOf(ExecutionTrace trace) =>
        [.. Enumerable.Range(0, trace.Spans.Count).Select(trace.Spans.Get).OrderBy(s => s.StartNs).ThenBy(s => s.Depth)];

    private static string NameOf(ExecutionTrace trace, CallSpan span) => trace.Symbols.GetName(span.FunctionId);

    private static long Ns(TimeSpan time) => time.Ticks * 100;

    private static Activity StartAt(ActivitySource source, string name, DateTime start, ActivityContext parent = default) =>
        source.StartActivity(name, ActivityKind.Internal, parent, startTime: start)
        ?? throw new AssertFailedException("the recorder should be listening to " + source.Name);

    private static void StopAt(Activity activity, DateTime end)
    {
        activity.SetEndTime(end);
        activity.Stop();
    }

    [TestMethod]
    public void Snapshot_ConcurrentActivitiesFromManyThreads_ThenEveryActivityPairedExactly()
    {
        const int Threads = 8, Requests = 250;
        string name = Prefix;
        using var source = new ActivitySource(name);
        using var recorder = TraceRecorder.Start(sourceNames: [name], capacity: 1 << 14);
        var threadIds = new int[Threads];
        using var barrier = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            threadIds[t] = Environment.CurrentManagedThreadId;
            barrier.SignalAndWait();
            for (int i = 0; i < Requests; i++)
            {
                using var request = source.StartActivity("request");
                using var step = source.StartActivity("step");
            }
        })).ToArray();
        foreach (var worker in workers)
            worker.Start();
        foreach (var worker in workers)
            worker.Join();

        using var trace = recorder.Snapshot();
        Assert.AreEqual(Threads * Requests * 4L, recorder.RecordedEvents);
        Assert.AreEqual(Threads * Requests * 4, trace.EventCount);
        Assert.AreEqual(0, trace.Metadata.Warnings.Count, string.Join("\n", trace.Metadata.Warnings));
        Assert.AreEqual("activity", trace.Metadata.SourceFormat);
        CollectionAssert.AreEquivalent(threadIds.Select(id => (uint)id).ToArray(), trace.Threads.Select(t => t.Id).ToArray());
        var spans = SpansOf(trace);
        Assert.AreEqual(Threads * Requests * 2, spans.Length);
        Assert.IsTrue(spans.All(s => s.Status == SpanStatus.Complete));
        Assert.AreEqual(Threads * Requests, spans.Count(s => NameOf(trace, s) == "request" && s.Depth == 1 && s.ParentId == -1));
        var steps = spans.Where(s => NameOf(trace, s) == "step").ToArray();
        Assert.AreEqual(Threads * Requests, steps.Length);
        foreach (var step in steps)
        {
            var parent = trace.Spans.Get(step.ParentId);
            Assert.AreEqual("request", NameOf(trace, parent));
            Assert.AreEqual(step.ThreadId, parent.ThreadId);
            Assert.IsTrue(parent.StartNs <= step.StartNs && step.EndNs <= parent.EndNs);
        }
        foreach (uint id in threadIds)
            Assert.AreEqual(Requests * 4, trace.Threads.Single(t => t.Id == id).Count);
    }

    [TestMethod]
    public void Snapshot_RingOverflow_ThenNewestEventsKeptAndDropsCounted()
    {
        string name = Prefix;
        using var source = new ActivitySource(name);
        using var recorder = TraceRecorder.Start(sourceNames: [name], capacity: 64);
        var outer = StartAt(source, "outer", Base);
        for (int i = 0; i < 100; i++)
            StopAt(StartAt(source, $"op-{i:D3}", Base.AddMilliseconds(1 + i)), Base.AddMilliseconds(1.5 + i));
        StopAt(outer, Base.AddSeconds(1));

        using var trace = recorder.Snapshot();
        // 202 events (outer start, 100 × start/stop, outer stop); the ring keeps sequence numbers 138..201:
        // op-068's stop, op-069..op-099 whole, outer's stop. Spans whose start was overwritten are shown whole from their stop.
        Assert.AreEqual(202, recorder.RecordedEvents);
        Assert.AreEqual(64, recorder.Capacity);
        var names = SpansOf(trace).Select(s => NameOf(trace, s)).ToArray();
        CollectionAssert.AreEqual(new[] { "outer" }.Concat(Enumerable.Range(68, 32).Select(i => $"op-{i:D3}")).ToArray(), names);
        Assert.IsTrue(SpansOf(trace).All(s => s.Status == SpanStatus.Complete));
        var warnings = trace.Metadata.Warnings;
        Assert.AreEqual(2, warnings.Count, string.Join("\n", warnings));
        StringAssert.StartsWith(warnings[0], "138 of 202 recorded activity events were dropped: 138 overwritten (the ring keeps the newest 64), 0 being written");
        StringAssert.StartsWith(warnings[1], "2 span(s) whose start event was not kept");
        var outerSpan = SpansOf(trace)[0];
        Assert.AreEqual(Ns(TimeSpan.FromSeconds(1)), outerSpan.DurationNs, "the stop event carries the start time");
        Assert.AreEqual(1u, outerSpan.Depth);
        Assert.IsTrue(SpansOf(trace).Skip(1).All(s => s.ParentId == outerSpan.Id && s.Depth == 2));
    }

    [TestMethod]
    public void Snapshot_ErrorStatus_ThenErrorStatusCarriesTheDescription()
    {
        string name = Prefix;
        using var source = new ActivitySource(name);
        using var recorder = TraceRecorder.Start(sourceNames: [name]);
        var save = StartAt(source, "save", Base);
        save.SetStatus(ActivityStatusCode.Error, "disk full");
        StopAt(save, Base.AddMilliseconds(3));
        StopAt(StartAt(source, "load", Base.AddMilliseconds(4)), Base.AddMilliseconds(5));

        using var trace = recorder.Snapshot();
        // An error status is the span's status with its message, not a made-up EXCEPTION event.
        Assert.AreEqual(4, trace.EventCount);
        Assert.AreEqual(0, trace.IndicesOfKind(EventKind.Exception).Count);
        var spans = SpansOf(trace);
        Assert.AreEqual(SpanStatus.Error, spans[0].Status);
        Assert.AreEqual(SpanStatus.Complete, spans[1].Status);
        Assert.IsTrue(trace.TryGetErrorStatus(spans[0].StartEvent, out string message));
        Assert.AreEqual("disk full", message);
        Assert.IsFalse(trace.Spans.RaisedException(spans[0].Id));
        Assert.AreEqual(Ns(TimeSpan.FromMilliseconds(3)), spans[0].DurationNs);
    }

    [TestMethod]
    public void Snapshot_RecordedExceptions_ThenOneExceptionEventEachWithTypeAndMessage()
    {
        string name = Prefix;
        using var source = new ActivitySource(name);
        using var recorder = TraceRecorder.Start(sourceNames: [name]);
        var parse = StartAt(source, "parse", Base);
        parse.AddEvent(new ActivityEvent("cache-miss", new DateTimeOffset(Base.AddMilliseconds(1))));
        parse.AddException(new InvalidOperationException("bad header"), timestamp: new DateTimeOffset(Base.AddMilliseconds(2)));
        parse.AddEvent(new ActivityEvent("exception", new DateTimeOffset(Base.AddMilliseconds(3)), new ActivityTagsCollection
        {
            ["exception.type"] = "TimeoutException",
            ["exception.message"] = "slow disk",
        }));
        StopAt(parse, Base.AddMilliseconds(4));

        using var trace = recorder.Snapshot();
        var kinds = Enumerable.Range(0, trace.EventCount).Select(e => (EventKind)trace.Kinds[e]).ToArray();
        CollectionAssert.AreEqual(new[] { EventKind.Call, EventKind.Exception, EventKind.Exception, EventKind.Return }, kinds);
        Assert.IsTrue(trace.TryGetMessage(1, out string first));
        Assert.AreEqual("System.InvalidOperationException: bad header", first);
        Assert.IsTrue(trace.TryGetMessage(2, out string second));
        Assert.AreEqual("TimeoutException: slow disk", second);
        CollectionAssert.AreEqual(new long[] { 0, 2, 3, 4 }, Enumerable.Range(0, 4).Select(e => (trace.Timestamps[e] - trace.Timestamps[0]) / 1_000_000).ToArray());
        Assert.AreEqual(SpanStatus.Complete, trace.Spans.Get(0).Status, "an exception event does not end the span");
    }

    [TestMethod]
    public async Task Snapshot_ActivityCrossingThreadsViaAwait_ThenPairedOnTheStartingThread()
    {
        string name = Prefix;
        using var source = new ActivitySource(name);
        using var recorder = TraceRecorder.Start(sourceNames: [name]);
        int startThread = 0, stopThread = 0, childThread = 0;
        async Task RequestAsync()
        {
            using var request = source.StartActivity("request");
            startThread = Environment.CurrentManagedThreadId;
            await Task.Delay(5).ConfigureAwait(false); // resumes on a pool thread: this one is not a pool thread
            using (source.StartActivity("lookup"))
                childThread = Environment.CurrentManagedThreadId;
            stopThread = Environment.CurrentManagedThreadId;
        }
        Task? running = null;
        var starter = new Thread(() => running = RequestAsync());
        starter.Start();
        starter.Join();
        await running!;

        Assert.AreNotEqual(startThread, stopThread, "the request should have stopped on another thread");
        using var trace = recorder.Snapshot();
        var spans = SpansOf(trace);
        Assert.AreEqual(2, spans.Length);
        Assert.AreEqual("request", NameOf(trace, spans[0]));
        Assert.AreEqual((uint)startThread, spans[0].ThreadId);
        Assert.AreEqual(SpanStatus.Complete, spans[0].Status);
        Assert.AreEqual("lookup", NameOf(trace, spans[1]));
        Assert.AreEqual((uint)childThread, spans[1].ThreadId);
        Assert.AreEqual(2u, spans[1].Depth, "depth follows the parent chain across threads");
        Assert.AreEqual(-1, spans[1].ParentId, "a parent on another thread is not linked in CallSpans");
        Assert.IsTrue(spans[0].StartNs < spans[1].StartNs && spans[1].EndNs <= spans[0].EndNs);
        Assert.IsTrue(trace.Metadata.Warnings.Count == 0);
    }

    [TestMethod]
    public void Snapshot_OverlappingSiblingsOfOneOperation_ThenEachStopPairsWithItsOwnStart()
    {
        string name = Prefix;
        using var source = new ActivitySource(name);
        using var recorder = TraceRecorder.Start(sourceNames: [name]);
        var batch = StartAt(source, "batch", Base);
        var first = StartAt(source, "fetch", Base.AddMilliseconds(1), batch.Context);
        var second = StartAt(source, "fetch", Base.AddMilliseconds(2), batch.Context);
        StopAt(first, Base.AddMilliseconds(5));  // the first ends while the second runs
        StopAt(second, Base.AddMilliseconds(9));
        StopAt(batch, Base.AddMilliseconds(10));

        using var trace = recorder.Snapshot();
        var spans = SpansOf(trace);
        CollectionAssert.AreEqual(new[] { "batch", "fetch", "fetch" }, spans.Select(s => NameOf(trace, s)).ToArray());
        // Depth pairing would close the 1 ms fetch with the RETURN at 5 ms... of the innermost open fetch (the 2 ms one).
        CollectionAssert.AreEqual(new[] { Ns(TimeSpan.FromMilliseconds(10)), Ns(TimeSpan.FromMilliseconds(4)), Ns(TimeSpan.FromMilliseconds(7)) },
            spans.Select(s => s.DurationNs).ToArray());
        CollectionAssert.AreEqual(new[] { -1, spans[0].Id, spans[0].Id }, spans.Select(s => s.ParentId).ToArray());
        Assert.IsTrue(spans.All(s => s.Status == SpanStatus.Complete));
    }

    [TestMethod]
    public void Start_SourceNamePatterns_ThenOnlyMatchingSourcesRecorded()
    {
        string prefix = Prefix;
        using var matchA = new ActivitySource(prefix + ".Match.A");
        using var matchB = new ActivitySource(prefix + ".MATCH.b");
        using var matcher = new ActivitySource(prefix + ".Matcher");
        using var exact = new ActivitySource(prefix + ".Exact");
        using var other = new ActivitySource(prefix + ".Exact.Other");
        using var recorder = TraceRecorder.Start(sourceNames: [prefix + ".Match.*", prefix + ".Exact"]);
        foreach (var source in new[] { matchA, matchB, matcher, exact, other })
            source.StartActivity("work")?.Stop();

        Assert.IsNull(matcher.StartActivity("work"), "no listener asked for this source");
        using var trace = recorder.Snapshot();
        Assert.AreEqual(6, trace.EventCount);
        CollectionAssert.AreEquivalent(new[] { matchA.Name, matchB.Name, exact.Name },
            trace.Symbols.Modules.Select(m => m.Path).ToArray());
        Assert.AreEqual(3, trace.Symbols.Symbols.Select(s => s.FunctionId).Distinct().Count(), "one function per (source, name)");
    }

    [TestMethod]
    public void Start_SameSourceAndName_ThenStableFunctionIdAcrossRecorders()
    {
        string name = Prefix;
        using var source = new ActivitySource(name);
        ulong IdOfWork()
        {
            using var recorder = TraceRecorder.Start(sourceNames: [name]);
            source.StartActivity("work")?.Stop();
            using var trace = recorder.Snapshot();
            return trace.GetFunctionId(0);
        }
        ulong id = IdOfWork();
        Assert.AreEqual(id, IdOfWork());
        Assert.AreEqual(SymbolTable.ModuleIdFromPath(name), (uint)(id >> 32));
    }

    [TestMethod]
    public void Snapshot_QueryEngineSummary_ThenNamesThePlantedFailingOperation()
    {
        string name = Prefix;
        using var source = new ActivitySource(name);
        using var recorder = TraceRecorder.Start(sourceNames: [name]);
        var time = Base;
        for (int i = 0; i < 40; i++)
        {
            var request = StartAt(source, "handle_request", time);
            StopAt(StartAt(source, "load_cart", time.AddMilliseconds(1)), time.AddMilliseconds(2));
            var charge = StartAt(source, "charge_card", time.AddMilliseconds(2));
            if (i == 29)
            {
                charge.AddException(new InvalidOperationException("card declined by issuer"), timestamp: new DateTimeOffset(time.AddMilliseconds(3)));
                charge.SetStatus(ActivityStatusCode.Error, "card declined by issuer");
            }
            StopAt(charge, time.AddMilliseconds(4));
            StopAt(request, time.AddMilliseconds(5));
            time = time.AddMilliseconds(10);
        }

        using var trace = recorder.Snapshot();
        var engine = new QueryEngine(tokenCounter: new TokenCounter("gpt-4o"));
        var result = engine.Process(trace, tokenBudget: 1024);
        TestContext.WriteLine(result.Summary);
        Assert.IsTrue(result.TokenCount <= 1024);
        StringAssert.Contains(result.Summary, "charge_card");
        Assert.IsTrue(result.Findings.Any(f => f.Title.Contains("charge_card", StringComparison.Ordinal) && f.Severity <= Severity.Medium),
            "a finding names the failing operation:\n" + result.Summary);
        var errors = engine.Process(trace, tokenBudget: 1024, filter: "kind:exception");
        StringAssert.Contains(errors.Summary, "charge_card");
    }

    [TestMethod]
    public void WriteAtf_Recording_ThenReadingBackGivesTheSameEvents()
    {
        string name = Prefix;
        using var source = new ActivitySource(name);
        using var recorder = TraceRecorder.Start(sourceNames: [name]);
        var outer = StartAt(source, "outer", Base);
        var inner = StartAt(source, "inner", Base.AddMilliseconds(1), outer.Context);
        inner.SetStatus(ActivityStatusCode.Error, "nope");
        StopAt(inner, Base.AddMilliseconds(2));
        StopAt(outer, Base.AddMilliseconds(3));
        string directory = TestPaths.NewTempDirectory("recorder");

        recorder.WriteAtf(directory);

        using var expected = recorder.Snapshot();
        using var actual = AtfReader.Open(directory);
        // CALL, CALL, RETURN, RETURN: inner's error status is a status, not an EXCEPTION event (ATF has no place for it).
        Assert.AreEqual(4, expected.EventCount);
        Assert.AreEqual(expected.EventCount, actual.EventCount);
        for (int e = 0; e < expected.EventCount; e++)
            Assert.AreEqual(expected.GetEvent(e), actual.GetEvent(e));
        CollectionAssert.AreEqual(expected.Symbols.Symbols.ToArray(), actual.Symbols.Symbols.ToArray());
        CollectionAssert.AreEqual(expected.Symbols.Modules.Select(m => m.Path).ToArray(), actual.Symbols.Modules.Select(m => m.Path).ToArray());
    }

    [TestMethod]
    public void Dispose_ThenStopsListeningAndKeepsWhatWasRecorded()
    {
        string name = Prefix;
        using var source = new ActivitySource(name);
        var recorder = TraceRecorder.Start(sourceNames: [name]);
        source.StartActivity("before")?.Stop();
        recorder.Dispose();
        recorder.Dispose();

        Assert.IsNull(source.StartActivity("after"), "nobody listens any more");
        using var trace = recorder.Snapshot();
        Assert.AreEqual(2, trace.EventCount);
        Assert.AreEqual("before", trace.Symbols.GetName(trace.GetFunctionId(0)));
    }

    [TestMethod]
    public void Start_Recording_ThenNoAllocationBeyondTheActivityItself()
    {
        string name = Prefix;
        using var plain = new ActivitySource(name + ".Plain");
        using var recorded = new ActivitySource(name + ".Recorded");
        using var noop = new ActivityListener
        {
            ShouldListenTo = s => s == plain,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = _ => { },
            ActivityStopped = _ => { },
        };
        ActivitySource.AddActivityListener(noop);
        using var recorder = TraceRecorder.Start(sourceNames: [recorded.Name], capacity: 1 << 12);
        static long Allocated(ActivitySource source, int count)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < count; i++)
            {
                using var outer = source.StartActivity("outer");
                using var inner = source.StartActivity("inner");
            }
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Allocated(plain, 100); // warm-up: names and this thread get registered, code gets jitted
        Allocated(recorded, 100);

        // A cost of the recorder shows in every round; a one-off allocation on this thread (a listener another test
        // registers or disposes meanwhile, a runtime callback) does not, so the least difference of five rounds is judged.
        var rounds = new List<string>();
        long least = long.MaxValue;
        for (int round = 0; round < 5 && least >= 1000; round++)
        {
            long withoutRecorder = Allocated(plain, 1000);
            long withRecorder = Allocated(recorded, 1000);
            Assert.IsTrue(withoutRecorder > 0, "activities allocate themselves");
            least = Math.Min(least, withRecorder - withoutRecorder);
            rounds.Add($"{withRecorder - withoutRecorder} (plain {withoutRecorder})");
        }

        Assert.IsTrue(least < 1000, $"recorder added bytes over 2,000 activities in every round: {string.Join(", ", rounds)}");
    }

    [TestMethod]
    public void Snapshot_HierarchicalIds_ThenSpansPairAndLinkByIdHash()
    {
        string name = Prefix;
        using var source = new ActivitySource(name);
        using var recorder = TraceRecorder.Start(sourceNames: [name]);
        var root = source.StartActivity("root", ActivityKind.Server, parentId: "|4bf92f3577b34da6.1.")!;
        var child = source.StartActivity("child")!;
        Assert.AreEqual(ActivityIdFormat.Hierarchical, child.IdFormat);
        child.Stop();
        root.Stop();

        using var trace = recorder.Snapshot();
        var spans = SpansOf(trace);
        CollectionAssert.AreEqual(new[] { "root", "child" }, spans.Select(s => NameOf(trace, s)).ToArray());
        Assert.AreEqual(spans[0].Id, spans[1].ParentId);
        Assert.IsTrue(spans.All(s => s.Status == SpanStatus.Complete));
    }

    [TestMethod]
    public void Start_BadOptions_ThenArgumentErrors()
    {
        Assert.ThrowsExactly<ArgumentException>(() => TraceRecorder.Start(sourceNames: []));
        Assert.ThrowsExactly<ArgumentException>(() => TraceRecorder.Start(sourceNames: [""]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TraceRecorder.Start(sourceNames: ["x"], capacity: 8));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TraceRecorder.Start(new TraceRecorderOptions { SourceNames = ["x"], MaxFunctions = 0 }));
        using var recorder = TraceRecorder.Start(new TraceRecorderOptions { SourceNames = [Prefix], Capacity = 1000 });
        Assert.AreEqual(1024, recorder.Capacity);
    }
}
