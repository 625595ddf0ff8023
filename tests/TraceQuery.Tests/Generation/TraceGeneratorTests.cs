using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Generation;

[TestClass]
public sealed class TraceGeneratorTests
{
    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(10_000)]
    [DataRow(33_333)]
    public void Generate_Count_ThenExactlyThatManyEvents(int count)
    {
        using var trace = TraceGenerator.Generate(count);
        Assert.AreEqual(count, trace.EventCount);
    }

    [TestMethod]
    public void Generate_SameOptions_ThenIdenticalTraces()
    {
        var options = new TraceGeneratorOptions { Seed = 3, Anomalies = TraceAnomalies.All, WithDetail = true };
        using var a = TraceGenerator.Generate(5_000, options);
        using var b = TraceGenerator.Generate(5_000, options);
        for (int i = 0; i < a.EventCount; i++)
            Assert.AreEqual(a.GetEvent(i), b.GetEvent(i));
        using var c = TraceGenerator.Generate(5_000, options with { Seed = 4 });
        Assert.IsTrue(Enumerable.Range(0, c.EventCount).Any(i => a.GetEvent(i) != c.GetEvent(i)));
    }

    [TestMethod]
    public void Generate_CleanTrace_ThenNestingFollowsTracerConventions()
    {
        using var trace = TraceGenerator.Generate(20_000, new TraceGeneratorOptions { Threads = 3 });
        foreach (var thread in trace.Threads)
        {
            var stack = new Stack<ulong>();
            for (int i = thread.Start; i < thread.End; i++)
            {
                var e = trace.GetEvent(i);
                Assert.AreEqual(thread.Id, e.ThreadId, "thread id is the slot");
                switch (e.Kind)
                {
                    case EventKind.Call:
                        stack.Push(e.FunctionId);
                        Assert.AreEqual((uint)stack.Count, e.CallDepth, "depth is 1-based");
                        break;
                    case EventKind.Return:
                        Assert.AreEqual((uint)stack.Count, e.CallDepth, "a RETURN carries its CALL's depth");
                        Assert.AreEqual(stack.Pop(), e.FunctionId);
                        break;
                    default:
                        Assert.Fail("a clean trace has no exceptions");
                        break;
                }
                if (i > thread.Start)
                    Assert.IsTrue(trace.Timestamps[i] > trace.Timestamps[i - 1]);
            }
            Assert.IsTrue(stack.Count <= 1, "every frame is closed except possibly one still running at the end");
        }
        Assert.AreEqual(SymbolTable.ModuleIdFromPath("/srv/app/bin/indexer"), (uint)(trace.FunctionIds[0] >> 32) is var m && trace.Symbols.Modules.Any(x => x.ModuleId == m) ? m : 0u);
    }

    [TestMethod]
    public void Generate_Crash_ThenParseHeaderRaisesAndThreadStopsWithOpenFrames()
    {
        using var trace = TraceGenerator.Generate(10_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.Crash });
        Assert.AreEqual(10_000, trace.EventCount);
        var exceptions = Enumerable.Range(0, trace.EventCount).Where(i => trace.Kinds[i] == (byte)EventKind.Exception).ToList();
        Assert.AreEqual(1, exceptions.Count);
        int e = exceptions[0];
        Assert.AreEqual("parse_header", trace.GetFunctionName(trace.FunctionOrdinals[e]));
        var thread = trace.GetThreadOfEvent(e);
        Assert.AreEqual(thread.End - 1, e, "the exception is the crashed thread's last event");
        Assert.IsTrue(trace.Depths[e] >= 2, "frames stay open below the crash");
    }

    [TestMethod]
    public void Generate_Leak_ThenAllocsOutnumberFrees()
    {
        int Calls(ExecutionTrace t, string name) => Enumerable.Range(0, t.EventCount)
            .Count(i => t.Kinds[i] == (byte)EventKind.Call && t.GetFunctionName(t.FunctionOrdinals[i]) == name);
        using var clean = TraceGenerator.Generate(20_000);
        using var leaky = TraceGenerator.Generate(20_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.Leak });
        Assert.AreEqual(Calls(clean, "buffer_alloc"), Calls(clean, "buffer_free"));
        Assert.IsTrue(Calls(leaky, "buffer_alloc") > Calls(leaky, "buffer_free") * 1.15);
    }

    [TestMethod]
    public void Generate_HangAndOutlier_ThenCulpritSpansAreExtreme()
    {
        using var trace = TraceGenerator.Generate(20_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.Hang | TraceAnomalies.LatencyOutlier });
        long Longest(string name)
        {
            long longest = 0;
            foreach (var thread in trace.Threads)
            {
                var open = new Stack<long>();
                for (int i = thread.Start; i < thread.End; i++)
                {
                    if (trace.Kinds[i] == (byte)EventKind.Call)
                        open.Push(trace.Timestamps[i]);
                    else if (trace.Kinds[i] == (byte)EventKind.Return)
                    {
                        long start = open.Pop();
                        if (trace.GetFunctionName(trace.FunctionOrdinals[i]) == name)
                            longest = Math.Max(longest, trace.Timestamps[i] - start);
                    }
                }
            }
            return longest;
        }
        Assert.IsTrue(Longest("wait_for_lock") >= 3_000_000_000L);
        Assert.IsTrue(Longest("hash_file") >= 3_200_000L);
    }

    [TestMethod]
    public void Generate_WithDetail_ThenLibstoreEventsLinkPayloads()
    {
        using var trace = TraceGenerator.Generate(2_000, new TraceGeneratorOptions { WithDetail = true, Threads = 1 });
        int linked = 0;
        for (int i = 0; i < trace.EventCount; i++)
        {
            if (!trace.TryGetDetail(i, out var record))
                continue;
            linked++;
            var detail = record.TryGetFunctionDetail();
            Assert.IsNotNull(detail);
            Assert.AreEqual(trace.GetFunctionId(i), detail.FunctionId);
            Assert.AreEqual(trace.Kinds[i] == (byte)EventKind.Call ? 128 : 0, detail.Stack.Length);
            StringAssert.Contains(trace.Symbols.GetModuleName(detail.FunctionId), "libstore");
        }
        Assert.IsTrue(linked > 10);
    }
}
