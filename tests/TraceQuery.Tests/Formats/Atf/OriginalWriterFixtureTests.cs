using System.Globalization;
using System.Text.Json;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Atf;

/// <summary>
/// Sessions written by the original tracer's own C writer (finalized, killed while stopping, killed while
/// tracing), read with exactly the counts of their ground truth in expected.json.
/// </summary>
[TestClass]
public sealed class OriginalWriterFixtureTests
{
    private static readonly JsonElement Expected = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(TestPaths.Fixtures, "atf-original-writer", "expected.json"))).RootElement;

    public static IEnumerable<object[]> Sessions =>
    [
        ["finalized"],
        ["crash-at-stop"],
        ["killed-while-tracing"],
    ];

    private static Dictionary<ulong, string> ExpectedSymbols() =>
        Expected.GetProperty("symbols").EnumerateObject().ToDictionary(
            p => ulong.Parse(p.Name.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            p => p.Value.GetString()!);

    [TestMethod]
    [DynamicData(nameof(Sessions))]
    public void Open_OriginalWriterSession_ThenPerThreadCountsMatchGroundTruth(string session)
    {
        var expected = Expected.GetProperty("sessions").GetProperty(session);
        using var trace = AtfReader.Open(Path.Combine(TestPaths.OriginalWriterSessionsRoot, session));
        var names = ExpectedSymbols();

        Assert.AreEqual(expected.GetProperty("manifest_json").GetBoolean(), trace.Metadata.ManifestPresent);
        Assert.AreEqual(expected.GetProperty("total_events_on_disk").GetInt32(), trace.EventCount);
        Assert.AreEqual(TraceOs.Linux, trace.Metadata.Os);
        Assert.AreEqual(TraceArch.X86_64, trace.Metadata.Arch);

        var threads = expected.GetProperty("threads").EnumerateArray().ToList();
        Assert.AreEqual(threads.Count, trace.Threads.Count);
        foreach (var t in threads)
        {
            uint slot = t.GetProperty("slot").GetUInt32();
            Assert.IsTrue(trace.TryGetThread(slot, out var thread), $"thread {slot} missing");
            string at = $"{session}/thread_{slot}";
            int onDisk = t.GetProperty("events_on_disk").GetInt32();
            Assert.AreEqual(onDisk, thread.Count, at + " events");
            Assert.AreEqual(t.GetProperty("finalized").GetBoolean(), thread.Recovery.IndexFinalized, at + " finalized");
            Assert.AreEqual(t.GetProperty("index_file_bytes").GetInt64() == 0, thread.Recovery.IndexEmptyFile, at + " empty file");
            if (!thread.Recovery.IndexFinalized)
                Assert.AreEqual(onDisk, thread.Recovery.EventsRecovered, at + " recovered");

            var kinds = trace.Kinds.Slice(thread.Start, thread.Count);
            Assert.AreEqual(t.GetProperty("calls").GetInt32(), Count(kinds, EventKind.Call), at + " calls");
            Assert.AreEqual(t.GetProperty("returns").GetInt32(), Count(kinds, EventKind.Return), at + " returns");
            Assert.AreEqual(t.GetProperty("exceptions").GetInt32(), Count(kinds, EventKind.Exception), at + " exceptions");

            // Exceptions: position, function and depth.
            var exceptions = new List<string>();
            for (int i = thread.Start; i < thread.End; i++)
            {
                if (trace.Kinds[i] == (byte)EventKind.Exception)
                    exceptions.Add($"{trace.GetEventRef(i).Seq}:{names[trace.GetFunctionId(i)]}:{trace.Depths[i]}");
            }
            var expectedExceptions = t.GetProperty("exception_events").EnumerateArray()
                .Select(x => $"{x.GetProperty("seq").GetInt32()}:{x.GetProperty("function").GetString()}:{x.GetProperty("depth").GetInt32()}").ToList();
            CollectionAssert.AreEqual(expectedExceptions, exceptions, at + " exception events");

            // Calls per function, max depth, frames left open, time range.
            var calls = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var open = new List<string>();
            uint maxDepth = 0;
            for (int i = thread.Start; i < thread.End; i++)
            {
                string name = names[trace.GetFunctionId(i)];
                maxDepth = Math.Max(maxDepth, trace.Depths[i]);
                switch ((EventKind)trace.Kinds[i])
                {
                    case EventKind.Call:
                        calls[name] = calls.GetValueOrDefault(name) + 1;
                        open.Add(name);
                        break;
                    case EventKind.Return:
                        Assert.AreEqual(name, open[^1], $"{at} RETURN at {i - thread.Start} closes the innermost frame");
                        Assert.AreEqual((uint)open.Count, trace.Depths[i], $"{at} RETURN depth is its CALL's depth");
                        open.RemoveAt(open.Count - 1);
                        break;
                }
            }
            var expectedCalls = new SortedDictionary<string, int>(
                t.GetProperty("calls_by_function").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()), StringComparer.Ordinal);
            CollectionAssert.AreEqual(expectedCalls.ToList(), calls.ToList(), at + " calls by function");
            Assert.AreEqual(t.GetProperty("max_call_depth").GetUInt32(), maxDepth, at + " max depth");
            CollectionAssert.AreEqual(t.GetProperty("open_frames_at_end").EnumerateArray().Select(x => x.GetString()).ToList(), open, at + " open frames");
            if (onDisk > 0)
            {
                Assert.AreEqual(t.GetProperty("time_start_ns").GetInt64(), thread.TimeStartNs, at + " start");
                Assert.AreEqual(t.GetProperty("time_end_ns").GetInt64(), thread.TimeEndNs, at + " end");
            }

            // Detail lane: complete records, links kept, dangling links dropped.
            int complete = t.GetProperty("detail_records_complete_on_disk").GetInt32();
            int dangling = t.GetProperty("dangling_detail_seq_on_disk").GetInt32();
            Assert.AreEqual(complete, thread.DetailRecordCount, at + " detail records");
            Assert.AreEqual(dangling, thread.Recovery.DetailLinksDropped, at + " dangling links");
            int withDetail = 0;
            for (int i = thread.Start; i < thread.End; i++)
            {
                if (trace.DetailSeqs[i] == TraceEvent.NoDetail)
                    continue;
                withDetail++;
                Assert.IsTrue(trace.TryGetDetail(i, out var record), $"{at} event {i - thread.Start} detail");
                Assert.AreEqual(trace.GetEventRef(i).Seq, record.IndexSeq, at + " index_seq links back");
                Assert.AreEqual((ulong)trace.Timestamps[i], record.TimestampNs, at + " record timestamp");
                Assert.AreEqual(540, record.TotalLength, at + " record length");
                var payload = record.TryGetFunctionDetail();
                Assert.IsNotNull(payload);
                Assert.AreEqual(t.GetProperty("os_tid_in_detail_payloads").GetUInt32(), payload.OsThreadId, at + " os tid");
                Assert.AreEqual(trace.GetFunctionId(i), payload.FunctionId, at + " payload function");
            }
            Assert.AreEqual(t.GetProperty("events_with_detail_seq_on_disk").GetInt32() - dangling, withDetail, at + " events with detail");
            foreach (var link in t.GetProperty("dangling_detail_links").EnumerateArray())
            {
                Assert.IsTrue(trace.TryGetEventIndex(new EventRef(slot, link.GetProperty("seq").GetUInt32()), out int index));
                Assert.AreEqual(TraceEvent.NoDetail, trace.DetailSeqs[index], $"{at} dangling link of seq {link.GetProperty("seq")} reads as no detail");
                Assert.IsFalse(trace.TryGetDetail(index, out _));
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Sessions))]
    public void Open_OriginalWriterSession_ThenSymbolsMatchGroundTruth(string session)
    {
        using var trace = AtfReader.Open(Path.Combine(TestPaths.OriginalWriterSessionsRoot, session));
        if (!trace.Metadata.ManifestPresent)
        {
            Assert.IsFalse(trace.Symbols.HasSymbols);
            Assert.AreEqual("fn_0x05e4df9100000001", trace.Symbols.GetName(0x05e4df9100000001UL));
            Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.Contains("manifest.json is missing", StringComparison.Ordinal)));
            return;
        }
        Assert.AreEqual("2.1", trace.Metadata.FormatVersion);
        foreach (var (id, name) in ExpectedSymbols())
            Assert.AreEqual(name, trace.Symbols.GetName(id));
        // Symbols come in the writer's hash order, and the order is kept.
        Assert.AreEqual("flush_pages", trace.Symbols.Symbols[0].Name);
        var indexer = trace.Symbols.Modules.Single(m => m.Path == "/srv/app/bin/indexer");
        Assert.AreEqual(0x5612a3c00000UL, indexer.BaseAddress);
        Assert.AreEqual(237568UL, indexer.Size);
        Assert.AreEqual("7C3E91B2-5D04-4F6A-9E1B-C8F02D47A613", indexer.Uuid);
        var libstore = trace.Symbols.Modules.Single(m => m.Path == "/srv/app/lib64/libstore.so");
        Assert.AreEqual(2833738354u, libstore.ModuleId);
        Assert.IsNull(libstore.BaseAddress);
    }

    [TestMethod]
    public void Open_CrashAtStop_ThenThread2RecoveredWithThreeDanglingLinksAndCutRecord()
    {
        using var trace = AtfReader.Open(Path.Combine(TestPaths.OriginalWriterSessionsRoot, "crash-at-stop"));
        Assert.IsTrue(trace.TryGetThread(2, out var thread));
        Assert.IsFalse(thread.Recovery.IndexFinalized);
        Assert.AreEqual(2046, thread.Recovery.EventsRecovered);
        Assert.AreEqual(0, thread.Recovery.IndexBytesIgnored);
        Assert.AreEqual(40, thread.Recovery.DetailBytesIgnored);
        Assert.AreEqual(3, thread.Recovery.DetailLinksDropped);
        Assert.IsTrue(trace.WasRecovered);
        Assert.IsTrue(trace.TryGetThread(0, out var finalized));
        Assert.IsTrue(finalized.Recovery.IsClean);
    }

    [TestMethod]
    public void Open_KilledWhileTracing_ThenZeroByteThreadIsKeptEmptyAndReported()
    {
        using var trace = AtfReader.Open(Path.Combine(TestPaths.OriginalWriterSessionsRoot, "killed-while-tracing"));
        Assert.IsTrue(trace.TryGetThread(3, out var thread));
        Assert.AreEqual(0, thread.Count);
        Assert.IsTrue(thread.Recovery.IndexEmptyFile);
        Assert.AreEqual(0, thread.DetailRecordCount);
        Assert.IsTrue(trace.TryGetThread(0, out var thread0));
        Assert.AreEqual(120, thread0.Recovery.DetailBytesIgnored);
        Assert.IsTrue(trace.TryGetThread(2, out var thread2));
        Assert.AreEqual(436, thread2.Recovery.DetailBytesIgnored);
        Assert.AreEqual(5, thread2.Recovery.DetailLinksDropped);
    }

    private static int Count(ReadOnlySpan<byte> kinds, EventKind kind)
    {
        int n = 0;
        foreach (byte k in kinds)
            n += k == (byte)kind ? 1 : 0;
        return n;
    }
}
