using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Atf;

/// <summary>What a killed tracer leaves is recovered, not rejected, and the recovery is reported.</summary>
[TestClass]
public sealed class AtfRecoveryTests
{
    private static (string Dir, ExecutionTrace Original) WriteSession(bool withDetail = false, int threads = 2, int events = 4_000)
    {
        var trace = TraceGenerator.Generate(events, new TraceGeneratorOptions { Threads = threads, WithDetail = withDetail });
        string dir = TestPaths.NewTempDirectory("recover");
        AtfWriter.Write(trace, dir);
        return (dir, trace);
    }

    /// <summary>Turns a finalized index into what a killed tracer leaves: placeholder header, whole 4 KiB buffers, no footer.</summary>
    private static void KillIndex(string indexPath, long keepBytes)
    {
        var bytes = File.ReadAllBytes(indexPath);
        var header = bytes.AsSpan(0, 64);
        header[8..12].Clear();                                   // flags
        header[28..32].Clear();                                  // event_count
        BitConverter.TryWriteBytes(header[40..48], 64UL);        // footer_offset = 64
        header[48..64].Clear();                                  // times
        File.WriteAllBytes(indexPath, bytes.AsSpan(0, (int)keepBytes).ToArray());
    }

    [TestMethod]
    public void Open_IndexWithoutFooter_ThenKeepsEveryWholeEventAndReportsIt()
    {
        var (dir, original) = WriteSession();
        using var _ = original;
        string index = AtfFiles.IndexPath(dir, 1);
        KillIndex(index, 4096 + 10); // 4 KiB of whole buffers plus a partial event
        using var trace = AtfReader.Open(dir);

        Assert.IsTrue(trace.TryGetThread(1, out var thread));
        int expected = (4096 + 10 - 64) / 32;
        Assert.AreEqual(expected, thread.Count);
        Assert.IsFalse(thread.Recovery.IndexFinalized);
        Assert.AreEqual(expected, thread.Recovery.EventsRecovered);
        Assert.AreEqual((4096 + 10 - 64) % 32, thread.Recovery.IndexBytesIgnored);
        Assert.IsTrue(trace.WasRecovered);
        // The kept events are the thread's first events, unchanged.
        Assert.IsTrue(original.TryGetThread(1, out var originalThread));
        for (int i = 0; i < expected; i++)
            Assert.AreEqual(original.GetEvent(originalThread.Start + i), trace.GetEvent(thread.Start + i));
        // Thread 0 was untouched.
        Assert.IsTrue(trace.Threads[0].Recovery.IsClean);
    }

    [TestMethod]
    public void Open_ZeroByteIndex_ThenEmptyThreadReported()
    {
        var (dir, original) = WriteSession();
        original.Dispose();
        File.WriteAllBytes(AtfFiles.IndexPath(dir, 1), []);
        using var trace = AtfReader.Open(dir);
        Assert.IsTrue(trace.TryGetThread(1, out var thread));
        Assert.AreEqual(0, thread.Count);
        Assert.IsTrue(thread.Recovery.IndexEmptyFile);
        Assert.IsFalse(thread.Recovery.IsClean);
        Assert.AreEqual(2_000, trace.EventCount);
    }

    [TestMethod]
    public void Open_DetailCutMidRecord_ThenCompleteRecordsKeptAndLinksPastThemDropped()
    {
        var (dir, original) = WriteSession(withDetail: true, threads: 1, events: 3_000);
        int totalRecords = original.Details!.GetRecordCount(0);
        original.Dispose();
        string detail = AtfFiles.DetailPath(dir, 0);
        const int keptRecords = 10;
        AtfFiles.Truncate(detail, 64 + (keptRecords * 540) + 100); // 100 bytes of the 11th record
        using var trace = AtfReader.Open(dir);

        var thread = trace.Threads[0];
        Assert.AreEqual(keptRecords, thread.DetailRecordCount);
        Assert.IsFalse(thread.Recovery.DetailFinalized);
        Assert.AreEqual(100, thread.Recovery.DetailBytesIgnored);
        Assert.AreEqual(totalRecords - keptRecords, thread.Recovery.DetailLinksDropped);
        int linked = 0;
        for (int i = 0; i < trace.EventCount; i++)
        {
            if (trace.DetailSeqs[i] == TraceEvent.NoDetail)
                continue;
            linked++;
            Assert.IsTrue(trace.DetailSeqs[i] < keptRecords);
            Assert.IsTrue(trace.TryGetDetail(i, out var record));
            Assert.AreEqual(trace.GetEventRef(i).Seq, record.IndexSeq);
        }
        Assert.AreEqual(keptRecords, linked);
    }

    [TestMethod]
    public void Open_DanglingDetailSeqWithoutDetailFile_ThenDroppedNotRejected()
    {
        var (dir, original) = WriteSession(withDetail: true, threads: 1, events: 1_000);
        int records = original.Details!.GetRecordCount(0);
        original.Dispose();
        File.Delete(AtfFiles.DetailPath(dir, 0));
        using var trace = AtfReader.Open(dir);
        Assert.AreEqual(records, trace.Threads[0].Recovery.DetailLinksDropped);
        Assert.IsFalse(trace.Threads[0].HasDetail);
        Assert.IsNull(trace.Details);
    }

    [TestMethod]
    public void Open_NoManifest_ThenThreadsFromDirectoriesAndUnknownSymbols()
    {
        var (dir, original) = WriteSession(threads: 3, events: 900);
        original.Dispose();
        File.Delete(Path.Combine(dir, "manifest.json"));
        using var trace = AtfReader.Open(dir);
        Assert.AreEqual(900, trace.EventCount);
        CollectionAssert.AreEqual(new uint[] { 0, 1, 2 }, trace.Threads.Select(t => t.Id).ToArray());
        Assert.IsFalse(trace.Metadata.ManifestPresent);
        Assert.IsFalse(trace.Symbols.HasSymbols);
        StringAssert.StartsWith(trace.GetFunctionName(0), "fn_0x");
        Assert.IsTrue(trace.WasRecovered);
    }

    [TestMethod]
    public void Open_ManifestListsThreadWithoutDirectory_ThenWarningNamesIt()
    {
        var (dir, original) = WriteSession(threads: 3, events: 900);
        original.Dispose();
        Directory.Delete(Path.Combine(dir, "thread_2"), recursive: true);
        using var trace = AtfReader.Open(dir);
        Assert.AreEqual(2, trace.Threads.Count);
        Assert.IsTrue(trace.Metadata.Warnings.Any(w => w.StartsWith("thread 2 is listed in manifest.json but has no thread_2/index.atf", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Open_UnsortedEventsWithDuplicate_ThenSortedStablyDeduplicatedAndReported()
    {
        var (dir, original) = WriteSession(withDetail: true, threads: 1, events: 600);
        original.Dispose();
        string index = AtfFiles.IndexPath(dir, 0);
        var events = AtfFiles.ReadEvents(index).ToList();
        int withDetail = events.FindIndex(e => e.HasDetail);
        // The tracer drains lanes in batches: an event with detail is written again later, and two events swap.
        events.Insert(withDetail + 5, events[withDetail]);
        (events[20], events[21]) = (events[21], events[20]);
        AtfFiles.RewriteEvents(index, [.. events]);

        using var trace = AtfReader.Open(dir);
        var thread = trace.Threads[0];
        Assert.AreEqual(600, thread.Count);
        Assert.AreEqual(1, thread.Recovery.DuplicatesRemoved);
        Assert.IsTrue(thread.Recovery.Reordered);
        var timestamps = trace.Timestamps.ToArray();
        for (int i = 1; i < timestamps.Length; i++)
            Assert.IsTrue(timestamps[i - 1] <= timestamps[i], $"sorted at {i}");
        // References keep the on-disk sequence number: the swapped events keep theirs.
        Assert.IsTrue(trace.TryGetEventIndex(new EventRef(0, 21), out int swapped));
        Assert.AreEqual(events[21], trace.GetEvent(swapped) with { ThreadId = 0 });
        Assert.AreEqual(21u, trace.GetEventRef(swapped).Seq);
        // The duplicate is gone: each detail record is linked once.
        var links = trace.DetailSeqs.ToArray().Where(d => d != TraceEvent.NoDetail).ToList();
        Assert.AreEqual(links.Count, links.Distinct().Count());
    }

    [TestMethod]
    public void Open_FinalizedHeaderButTruncatedFile_ThenRecovered()
    {
        var (dir, original) = WriteSession(threads: 1, events: 1_000);
        original.Dispose();
        string index = AtfFiles.IndexPath(dir, 0);
        AtfFiles.Truncate(index, 64 + (500 * 32) + 7);
        using var trace = AtfReader.Open(dir);
        Assert.AreEqual(500, trace.EventCount);
        Assert.AreEqual(7, trace.Threads[0].Recovery.IndexBytesIgnored);
        Assert.IsFalse(trace.Threads[0].Recovery.IndexFinalized);
    }
}
