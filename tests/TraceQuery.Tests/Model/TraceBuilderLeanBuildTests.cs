using TraceQuery.Model;
using TraceQuery.Model.Internals;

namespace TraceQuery.Tests.Model;

/// <summary>
/// <see cref="TraceBuilder.Build"/> keeps spans in fixed segments and plans events from primitive arrays (issue 18's
/// lean build): spans that cross segment boundaries, arrive children first and carry messages, errors, marks and
/// exceptions each end at their own CALL, with their own parent and depth.
/// </summary>
[TestClass]
public sealed class TraceBuilderLeanBuildTests
{
    [TestMethod]
    public void ChunkedAppendList_AddAcrossSegments_ThenEveryItemInOrderAndWritableInPlace()
    {
        var list = new ChunkedAppendList<long>();
        int count = (3 * ChunkedAppendList<long>.SegmentSize) + 5;
        for (int i = 0; i < count; i++)
            list.Add(i * 3L);
        Assert.AreEqual(count, list.Count);
        for (int i = 0; i < count; i++)
            Assert.AreEqual(i * 3L, list[i]);
        list[ChunkedAppendList<long>.SegmentSize] = -1;
        Assert.AreEqual(-1, list[ChunkedAppendList<long>.SegmentSize]);
        Assert.AreEqual((ChunkedAppendList<long>.SegmentSize - 1) * 3L, list[ChunkedAppendList<long>.SegmentSize - 1]);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "dense ids (a flat array)")]
    [DataRow(true, DisplayName = "scattered 64-bit ids (a dictionary)")]
    public void SpanIdIndex_AddAndFind_ThenFirstSpanPerIdAndUnknownIdsMissing(bool scattered)
    {
        var spans = new ChunkedAppendList<StoredSpan>();
        ulong IdOf(int i) => scattered ? 0x9E3779B97F4A7C15UL * (ulong)(i + 1) : 1_000 + (ulong)i;
        for (int i = 0; i < 5_000; i++)
            spans.Add(new StoredSpan { SpanId = IdOf(i % 4_000) });
        var index = SpanIdIndex.For(spans);
        int refused = 0;
        for (int s = 0; s < spans.Count; s++)
            refused += index.TryAdd(spans[s].SpanId, s) ? 0 : 1;
        Assert.AreEqual(1_000, refused, "the last 1,000 repeat earlier ids");
        for (int i = 0; i < 4_000; i++)
        {
            Assert.IsTrue(index.TryGetValue(IdOf(i), out int s));
            Assert.AreEqual(i, s);
        }
        Assert.IsFalse(index.TryGetValue(scattered ? 12_345UL : 999UL, out _));
        Assert.IsFalse(index.TryGetValue(scattered ? ulong.MaxValue : 5_000UL, out _));
        Assert.IsFalse(index.TryGetValue(0, out _));
        Assert.IsFalse(SpanIdIndex.Empty.TryGetValue(1, out _));
    }

    [TestMethod]
    public void Build_ThousandsOfNestedSpansChildrenFirstOnThreeThreads_ThenEachSpanKeepsItsOwnTimesParentAndTexts()
    {
        // Groups of five nested spans per thread (depths 1–5), added innermost first; span ids are unique function ids
        // so each built span can be traced back to the record it came from.
        const int Groups = 560; // 560 × 5 × 3 = 8,400 spans: past two segments
        var records = new List<SpanRecord>();
        ulong id = 1;
        for (uint thread = 1; thread <= 3; thread++)
        {
            for (int g = 0; g < Groups; g++)
            {
                ulong baseTime = (ulong)g * 1_000;
                var group = new SpanRecord[5];
                for (int j = 0; j < 5; j++)
                {
                    ulong spanId = id++;
                    group[j] = new SpanRecord
                    {
                        SpanId = spanId,
                        ParentSpanId = j == 0 ? 0 : group[j - 1].SpanId,
                        ThreadId = thread,
                        FunctionId = spanId,
                        StartNs = baseTime + (ulong)j,
                        EndNs = baseTime + 100 - (ulong)j,
                        Message = spanId % 7 == 0 ? $"message {spanId}" : null,
                        Error = spanId % 11 == 0 ? $"error {spanId}" : null,
                        Marks = spanId % 13 == 0 ? SpanMarks.Envelope : SpanMarks.None,
                    };
                }
                records.AddRange(group.Reverse());
            }
        }
        var builder = new TraceBuilder();
        foreach (var record in records)
            builder.AddSpan(record);
        builder.AddSpan(records[0] with { StartNs = 5, EndNs = 6, Message = "a repeated id" });
        var byId = records.ToDictionary(r => r.SpanId);
        foreach (var record in records.Where(r => r.SpanId % 17 == 0))
            builder.AddSpanException(record.SpanId, record.StartNs + 10, $"exception {record.SpanId}");

        using var trace = builder.Build();
        var spans = trace.Spans;
        Assert.AreEqual(records.Count, spans.Count);
        Assert.AreEqual(records.Count * 2 + records.Count(r => r.SpanId % 17 == 0), trace.EventCount);
        StringAssert.Contains(string.Join("\n", trace.Metadata.Warnings), "1 span(s) repeated an earlier span id");
        for (int s = 0; s < spans.Count; s++)
        {
            var span = spans.Get(s);
            var record = byId[span.FunctionId];
            Assert.AreEqual((long)record.StartNs, span.StartNs, $"span {record.SpanId}");
            Assert.AreEqual((long)record.EndNs!.Value, span.EndNs, $"span {record.SpanId}");
            Assert.AreEqual(record.ThreadId, span.ThreadId);
            Assert.AreEqual((uint)((record.SpanId - 1) % 5) + 1, span.Depth, $"span {record.SpanId}");
            if (record.ParentSpanId == 0)
                Assert.AreEqual(-1, span.ParentId);
            else
                Assert.AreEqual(record.ParentSpanId, spans.Get(span.ParentId).FunctionId, $"parent of span {record.SpanId}");
            Assert.AreEqual(record.Message is not null, trace.TryGetMessage(span.StartEvent, out string message));
            Assert.AreEqual(record.Message ?? "", message ?? "");
            Assert.AreEqual(record.Error is not null, trace.TryGetErrorStatus(span.StartEvent, out string error));
            Assert.AreEqual(record.Error ?? "", error ?? "");
            Assert.AreEqual(record.Error is not null ? SpanStatus.Error : SpanStatus.Complete, span.Status);
            Assert.AreEqual(record.Marks, trace.GetMarks(span.StartEvent));
            Assert.AreEqual(record.SpanId % 17 == 0, span.RaisedException, $"span {record.SpanId}");
            if (span.RaisedException)
            {
                int exception = span.StartEvent + 1;
                while (trace.Kinds[exception] != (byte)EventKind.Exception)
                    exception++;
                Assert.AreEqual((long)record.StartNs + 10, trace.Timestamps[exception]);
                Assert.IsTrue(trace.TryGetMessage(exception, out string text));
                Assert.AreEqual($"exception {record.SpanId}", text);
            }
        }
    }

    [TestMethod]
    public void Build_RawEventsPastTheBufferGrowth_ThenEveryEventKeptInOrder()
    {
        var builder = new TraceBuilder();
        const int Count = 10_001;
        for (int i = 0; i < Count; i++)
        {
            var kind = i % 2 == 0 ? EventKind.Call : EventKind.Return;
            builder.Add(new TraceEvent((ulong)i * 10, 0x100000001, 4, kind, 1));
        }
        Assert.AreEqual(Count, builder.CountEvents(4));
        using var trace = builder.Build();
        Assert.AreEqual(Count, trace.EventCount);
        for (int i = 0; i < Count; i++)
            Assert.AreEqual(i * 10L, trace.Timestamps[i]);
        Assert.AreEqual((byte)EventKind.Call, trace.Kinds[Count - 1]);
    }
}
