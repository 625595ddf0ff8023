using TraceQuery.Formats;
using TraceQuery.Formats.Perfetto;
using TraceQuery.Fuzz;
using TraceQuery.Model;
using TraceQuery.Tests.Reliability;

namespace TraceQuery.Tests.Formats.Perfetto;

/// <summary>
/// The Perfetto reader's mapping, on a trace written field by field (<see cref="PerfettoSeeds.Features"/>) whose every
/// value is known: tracks, interned names, the incremental clock, async slices, counters, annotations and flows; and
/// its errors on damaged input.
/// </summary>
[TestClass]
public sealed class PerfettoMappingTests
{
    public TestContext TestContext { get; set; } = null!;

    private static ExecutionTrace Read(byte[] bytes) => PerfettoTraceReader.Read(new MemoryStream(bytes), "features.pftrace");

    private static int SpanNamed(ExecutionTrace trace, string name)
    {
        for (int s = 0; s < trace.Spans.Count; s++)
            if (trace.GetFunctionName(trace.Spans.GetFunctionOrdinal(s)) == name)
                return s;
        Assert.Fail($"no span named {name}");
        return -1;
    }

    [TestMethod]
    public void Read_FeatureTrace_ThenSlicesNestWithClockMappedTimes()
    {
        using var trace = Read(PerfettoSeeds.Features());
        int outer = SpanNamed(trace, "Outer"), inner = SpanNamed(trace, "Inner"), later = SpanNamed(trace, "Later");
        // Clock 64 counts µs from BOOTTIME 1,000,000 ns; deltas 0, 100, 200, 100, 100, 300, 50, 20, 30, 100, 100.
        // The collector keeps absolute times; compare relative to Outer's start.
        long origin = trace.Spans.GetStartTime(outer);
        Assert.AreEqual(100_000, trace.Spans.GetStartTime(inner) - origin);
        Assert.AreEqual(300_000, trace.Spans.GetEndTime(inner) - origin);
        Assert.AreEqual(900_000, trace.Spans.GetEndTime(outer) - origin);
        Assert.AreEqual(1_000_000, trace.Spans.GetStartTime(later) - origin);
        Assert.AreEqual(1_100_000, trace.Spans.GetEndTime(later) - origin);
        Assert.AreEqual(trace.Spans.GetDepth(outer) + 1, trace.Spans.GetDepth(inner));
        Assert.AreEqual("perfetto-protobuf", trace.Metadata.SourceFormat);
    }

    [TestMethod]
    public void Read_FeatureTrace_ThenThreadAndProcessNamesAsDescribed()
    {
        using var trace = Read(PerfettoSeeds.Features());
        var main = trace.Threads.Single(t => t.Track != SpanTrack.Async && t.OriginalThreadId == "43");
        Assert.AreEqual("Main", main.Name);
        Assert.AreEqual("42", main.ProcessId);
        Assert.AreEqual("43", main.OriginalThreadId);
        Assert.AreEqual("Proc", main.ProcessName);
    }

    [TestMethod]
    public void Read_FeatureTrace_ThenAsyncSliceOnItsProcessAsyncTrack()
    {
        using var trace = Read(PerfettoSeeds.Features());
        int load = SpanNamed(trace, "Load"), outer = SpanNamed(trace, "Outer");
        Assert.AreEqual(SpanTrack.Async, trace.Spans.GetTrack(load));
        long origin = trace.Spans.GetStartTime(outer);
        Assert.AreEqual(500_000, trace.Spans.GetStartTime(load) - origin);
        Assert.AreEqual(800_000, trace.Spans.GetEndTime(load) - origin);
        Assert.AreEqual("42", trace.Threads[trace.Spans.GetThreadIndex(load)].ProcessId);
    }

    [TestMethod]
    public void Read_FeatureTrace_ThenInstantAnnotationsCountersAndFlow()
    {
        using var trace = Read(PerfettoSeeds.Features());
        int tick = SpanNamed(trace, "Tick");
        Assert.AreNotEqual(SpanMarks.None, trace.Spans.GetMarks(tick) & SpanMarks.Instant);

        Assert.IsTrue(trace.TryGetAttributes(trace.Spans.StartEvents[SpanNamed(trace, "Outer")], out var outer));
        Assert.AreEqual("7", outer.Single(a => a.Key == "size").Value);
        Assert.IsTrue(trace.TryGetAttributes(trace.Spans.StartEvents[SpanNamed(trace, "Inner")], out var inner));
        Assert.AreEqual("hi", inner.Single(a => a.Key == "note").Value);

        var memory = trace.Metadata.Counters.Single(c => c.Name.StartsWith("Memory", StringComparison.Ordinal));
        Assert.AreEqual(2, memory.Count);
        Assert.AreEqual(2.5, memory.Min);
        Assert.AreEqual(10, memory.Max);
        Assert.AreEqual(2.5, memory.Last);

        var flow = trace.Links.Single(l => l.Kind.StartsWith("flow", StringComparison.Ordinal));
        Assert.AreEqual(trace.Spans.StartEvents[SpanNamed(trace, "Outer")], flow.FromEvent);
        Assert.AreEqual(trace.Spans.StartEvents[SpanNamed(trace, "Later")], flow.ToEvent);
    }

    [TestMethod]
    public void Read_FeatureTrace_ThenUnmappedPacketsCountedByKind()
    {
        using var trace = Read(PerfettoSeeds.Features());
        var skipped = trace.Metadata.SkippedRecords.ToDictionary(k => k.Kind, k => k.Count);
        Assert.AreEqual(1, skipped["perfetto trace_config packet"]);
        Assert.AreEqual(1, skipped.Single(k => k.Key.StartsWith("perfetto CPU sampling packet (field 66", StringComparison.Ordinal)).Value);
    }

    [TestMethod]
    public void Read_NeedsIncrementalStateWithoutClear_ThenEventSkippedAndCounted()
    {
        var bytes = PerfettoSeeds.Trace(
            PerfettoSeeds.New().Varint(10, 3).Varint(8, 5).Varint(13, 2)
                .Sub(11, PerfettoSeeds.New().Varint(9, 3).Text(23, "Lost")));
        using var trace = Read(bytes);
        Assert.AreEqual(0, trace.Spans.Count);
        Assert.AreEqual(1, trace.Metadata.SkippedRecords.Single(k => k.Kind.Contains("incremental state was lost", StringComparison.Ordinal)).Count);
    }

    [TestMethod]
    public void Read_TruncatedTrace_ThenTypedErrorWithOffset()
    {
        byte[] whole = PerfettoSeeds.Features();
        var e = Assert.ThrowsExactly<TraceFormatException>(() => Read(whole[..(whole.Length - 3)]));
        StringAssert.Contains(e.Message, "cut short");
        Assert.IsNotNull(e.Offset);
    }

    [TestMethod]
    public void Read_DamagedPacket_ThenTypedErrorNamingThePacket()
    {
        // Packet whose content is a key with wire type 7.
        byte[] bytes = [0x0A, 0x02, 0x0F, 0x00];
        var e = Assert.ThrowsExactly<TraceFormatException>(() => Read(bytes));
        StringAssert.Contains(e.Message, "packet 1 is not valid protobuf");
    }

    [TestMethod]
    public void DetectFormat_TextAndJson_ThenNotPerfetto()
    {
        Assert.IsFalse(PerfettoTraceReader.LooksLikeTrace("{\"traceEvents\":[]}"u8, headIsWholeFile: true));
        Assert.IsFalse(PerfettoTraceReader.LooksLikeTrace("\n hello world"u8, headIsWholeFile: true));
        Assert.IsTrue(PerfettoTraceReader.LooksLikeTrace(PerfettoSeeds.Features(), headIsWholeFile: true));
    }

    [TestMethod]
    public void Read_RandomlyDamagedTraces_ThenTypedErrorOrReportedRecovery()
    {
        var originals = SeedCorpus.Inputs("perfetto");
        foreach (byte[] original in originals)
            Assert.AreNotEqual(FuzzOutcome.Rejected, FuzzTargets.All["perfetto"](original), "a seed must be readable");
        var tally = new Property.Tally();
        Property.ForAll(Mutations.Damage, 200, 0x5EED_0023UL, damage =>
            tally.Add(Property.Run(FuzzTargets.All["perfetto"], Mutations.Apply(originals, damage))),
            d => $"seed input {d.Base % originals.Count}, steps {string.Join(", ", d.Steps)}");
        TestContext.WriteLine($"perfetto mutations: {tally}");
        Assert.IsGreaterThan(10, tally[FuzzOutcome.Rejected], tally.ToString());
        Assert.IsGreaterThan(10, tally[FuzzOutcome.Accepted] + tally[FuzzOutcome.Recovered], tally.ToString());
    }
}
