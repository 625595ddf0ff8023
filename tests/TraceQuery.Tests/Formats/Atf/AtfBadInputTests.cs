using System.Text;
using TraceQuery.Formats;
using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Atf;

/// <summary>What no real writer produces: each case gives a <see cref="TraceFormatException"/> naming file and offset.</summary>
[TestClass]
public sealed class AtfBadInputTests
{
    private static string WriteSession(bool withDetail = false, int threads = 1, int events = 200)
    {
        using var trace = TraceGenerator.Generate(events, new TraceGeneratorOptions { Threads = threads, WithDetail = withDetail });
        string dir = TestPaths.NewTempDirectory("bad");
        AtfWriter.Write(trace, dir);
        return dir;
    }

    private static TraceFormatException OpenFails(string dir)
    {
        var e = Assert.ThrowsExactly<TraceFormatException>(() => AtfReader.Open(dir).Dispose());
        StringAssert.StartsWith(e.Message, e.Path);
        return e;
    }

    [TestMethod]
    public void Open_DirectoryWithoutManifestOrThreads_ThenNotASession()
    {
        string dir = TestPaths.NewTempDirectory("empty");
        Directory.CreateDirectory(Path.Combine(dir, "thread_0")); // no index.atf inside
        var e = OpenFails(dir);
        StringAssert.Contains(e.Message, "neither a manifest.json nor any thread_N/index.atf");
        Assert.IsNull(e.Offset);
    }

    [TestMethod]
    public void Open_MissingDirectory_ThenDirectoryNotFound()
    {
        Assert.ThrowsExactly<DirectoryNotFoundException>(() => AtfReader.Open(Path.Combine(TestPaths.NewTempDirectory(), "nope")));
    }

    [TestMethod]
    public void Open_ManifestNotJson_ThenNamesLineAndOffset()
    {
        string dir = WriteSession();
        File.WriteAllText(Path.Combine(dir, "manifest.json"), "{\n  \"threads\": [ {\"id\": 0,, } ]\n}");
        var e = OpenFails(dir);
        StringAssert.EndsWith(e.Path, "manifest.json");
        StringAssert.Contains(e.Message, "not valid JSON (line 2");
        Assert.IsNotNull(e.Offset);
    }

    [TestMethod]
    public void Open_ManifestFieldOfWrongType_ThenNamesJsonPath()
    {
        string dir = WriteSession();
        File.WriteAllText(Path.Combine(dir, "manifest.json"), "{\"threads\":[{\"id\":0}],\"symbols\":[{\"function_id\":\"0xzz\",\"name\":\"f\"}]}");
        var e = OpenFails(dir);
        StringAssert.Contains(e.Message, "$.symbols[0].function_id must be an unsigned integer");
    }

    [TestMethod]
    public void Open_WrongIndexMagic_ThenOffsetZero()
    {
        string dir = WriteSession();
        AtfFiles.Patch(AtfFiles.IndexPath(dir, 0), 0, "XXXX"u8);
        var e = OpenFails(dir);
        Assert.AreEqual(0L, e.Offset);
        StringAssert.Contains(e.Message, "wrong magic \"XXXX\"");
        StringAssert.EndsWith(e.Path, Path.Combine("thread_0", "index.atf"));
    }

    [TestMethod]
    public void Open_WrongDetailMagic_ThenOffsetZeroOfDetailFile()
    {
        string dir = WriteSession(withDetail: true);
        AtfFiles.Patch(AtfFiles.DetailPath(dir, 0), 0, "ATI2"u8);
        var e = OpenFails(dir);
        StringAssert.EndsWith(e.Path, "detail.atf");
        StringAssert.Contains(e.Message, "\"ATD2\"");
    }

    [TestMethod]
    public void Open_UnsupportedEndianness_ThenOffset4()
    {
        string dir = WriteSession();
        AtfFiles.Patch(AtfFiles.IndexPath(dir, 0), 4, [2]);
        Assert.AreEqual(4L, OpenFails(dir).Offset);
    }

    [TestMethod]
    public void Open_UnsupportedVersion_ThenOffset5()
    {
        string dir = WriteSession();
        AtfFiles.Patch(AtfFiles.IndexPath(dir, 0), 5, [9]);
        var e = OpenFails(dir);
        Assert.AreEqual(5L, e.Offset);
        StringAssert.Contains(e.Message, "unsupported version 9");
    }

    [TestMethod]
    public void Open_EventSizeNot32_ThenOffset24()
    {
        string dir = WriteSession();
        AtfFiles.PatchUInt32(AtfFiles.IndexPath(dir, 0), 24, 40);
        var e = OpenFails(dir);
        Assert.AreEqual(24L, e.Offset);
        StringAssert.Contains(e.Message, "event size is 40");
    }

    [TestMethod]
    public void Open_HeaderShorterThan64Bytes_ThenRejected()
    {
        string dir = WriteSession();
        AtfFiles.Truncate(AtfFiles.IndexPath(dir, 0), 40);
        var e = OpenFails(dir);
        StringAssert.Contains(e.Message, "40 bytes long, shorter than the 64-byte index header");
    }

    [TestMethod]
    public void Open_IndexOf10Bytes_ThenDamageWithItsSizeNotEmpty()
    {
        // The case a user met: a 10-byte index.atf was reported as "empty (nothing reached the disk)".
        string dir = WriteSession();
        AtfFiles.Truncate(AtfFiles.IndexPath(dir, 0), 10);
        var e = OpenFails(dir);
        Assert.AreEqual(0L, e.Offset);
        StringAssert.Contains(e.Message, "the file is 10 bytes long, shorter than the 64-byte index header. This is damage, not an empty file");
        Assert.IsFalse(e.Message.Contains("is empty", StringComparison.Ordinal), e.Message);
        StringAssert.EndsWith(Path.GetDirectoryName(e.Path)!, "thread_0");
    }

    [TestMethod]
    public void Open_DetailShorterThanItsHeader_ThenDamageWithItsSize()
    {
        string dir = WriteSession(withDetail: true);
        AtfFiles.Truncate(AtfFiles.DetailPath(dir, 0), 20);
        var e = OpenFails(dir);
        Assert.AreEqual(0L, e.Offset);
        StringAssert.Contains(e.Message, "the file is 20 bytes long, shorter than the 64-byte detail header. This is damage, not an empty file");
        StringAssert.EndsWith(e.Path, "detail.atf");
    }

    [TestMethod]
    public void Open_IndexOf0Bytes_ThenEmptyNotDamage()
    {
        // 0 bytes is what the writer leaves when nothing reached the disk: recovered and said, not an error.
        string dir = WriteSession(threads: 2);
        AtfFiles.Truncate(AtfFiles.IndexPath(dir, 1), 0);
        using var trace = AtfReader.Open(dir);
        Assert.IsTrue(trace.TryGetThread(1, out var thread));
        Assert.IsTrue(thread.Recovery.IndexEmptyFile);
        Assert.AreEqual(0, thread.Count);
    }

    [TestMethod]
    public void Open_FooterCountDisagreesWithSection_ThenNamesFooterOffset()
    {
        string dir = WriteSession(events: 200);
        string index = AtfFiles.IndexPath(dir, 0);
        long footer = new FileInfo(index).Length - 64;
        AtfFiles.PatchUInt64(index, footer + 8, 199);
        var e = OpenFails(dir);
        Assert.AreEqual(footer + 8, e.Offset);
        StringAssert.Contains(e.Message, "the footer counts 199 events");
    }

    [TestMethod]
    public void Open_FooterBytesWrittenDisagrees_ThenNamesFooterOffset()
    {
        string dir = WriteSession(events: 200);
        string index = AtfFiles.IndexPath(dir, 0);
        long footer = new FileInfo(index).Length - 64;
        AtfFiles.PatchUInt64(index, footer + 32, 12);
        var e = OpenFails(dir);
        Assert.AreEqual(footer + 32, e.Offset);
        StringAssert.Contains(e.Message, "bytes_written is 12");
    }

    [TestMethod]
    public void Open_WrongFooterMagic_ThenNamesFooterOffset()
    {
        string dir = WriteSession(events: 200);
        string index = AtfFiles.IndexPath(dir, 0);
        long footer = new FileInfo(index).Length - 64;
        AtfFiles.Patch(index, footer, "ZZZZ"u8);
        var e = OpenFails(dir);
        Assert.AreEqual(footer, e.Offset);
        StringAssert.Contains(e.Message, "wrong footer magic");
    }

    [TestMethod]
    public void Open_NonZeroCrcMismatch_ThenRejected()
    {
        string dir = WriteSession(events: 200);
        string index = AtfFiles.IndexPath(dir, 0);
        AtfFiles.Patch(index, 64 + 24, [0x7F]); // flip a depth byte inside the event section
        var e = OpenFails(dir);
        StringAssert.Contains(e.Message, "CRC32 mismatch");
        Assert.AreEqual(new FileInfo(index).Length - 64 + 4, e.Offset);
    }

    [TestMethod]
    public void Open_CrcMismatchWithVerificationOff_ThenLoads()
    {
        string dir = WriteSession(events: 200);
        AtfFiles.Patch(AtfFiles.IndexPath(dir, 0), 64 + 24, [0x7F]);
        using var trace = AtfReader.Open(dir, new AtfReadOptions { VerifyChecksums = false });
        Assert.AreEqual(0x7Fu, trace.Depths[0]);
    }

    [TestMethod]
    public void Open_ZeroChecksum_ThenAcceptedAsNotComputed()
    {
        string dir = WriteSession(events: 200);
        string index = AtfFiles.IndexPath(dir, 0);
        long footer = new FileInfo(index).Length - 64;
        AtfFiles.PatchUInt32(index, footer + 4, 0);
        AtfFiles.Patch(index, 64 + 24, [0x7F]);
        using var trace = AtfReader.Open(dir);
        Assert.AreEqual(200, trace.EventCount);
    }

    [TestMethod]
    public void Open_DetailSeqOutOfRangeWithCompleteDetail_ThenRejected()
    {
        string dir = WriteSession(withDetail: true, events: 400);
        string index = AtfFiles.IndexPath(dir, 0);
        var events = AtfFiles.ReadEvents(index);
        int victim = Array.FindIndex(events, e => e.HasDetail);
        events[victim] = events[victim] with { DetailSeq = 100_000 };
        AtfFiles.RewriteEvents(index, events);
        var e = OpenFails(dir);
        Assert.AreEqual(64L + (victim * 32) + 28, e.Offset);
        StringAssert.Contains(e.Message, "links detail record 100000");
    }

    [TestMethod]
    public void Open_InvalidEventKind_ThenNamesEventOffset()
    {
        string dir = WriteSession(events: 200);
        string index = AtfFiles.IndexPath(dir, 0);
        var events = AtfFiles.ReadEvents(index);
        events[17] = events[17] with { Kind = (TraceQuery.Model.EventKind)7 };
        AtfFiles.RewriteEvents(index, events);
        var e = OpenFails(dir);
        Assert.AreEqual(64L + (17 * 32) + 20, e.Offset);
        StringAssert.Contains(e.Message, "event 17 has kind 7");
    }

    [TestMethod]
    public void Open_EventOfAnotherThread_ThenNamesEventOffset()
    {
        string dir = WriteSession(events: 200);
        string index = AtfFiles.IndexPath(dir, 0);
        var events = AtfFiles.ReadEvents(index);
        events[3] = events[3] with { ThreadId = 9 };
        AtfFiles.RewriteEvents(index, events);
        var e = OpenFails(dir);
        Assert.AreEqual(64L + (3 * 32) + 16, e.Offset);
    }

    [TestMethod]
    public void Open_BytesAfterFooter_ThenRejected()
    {
        string dir = WriteSession(events: 200);
        string index = AtfFiles.IndexPath(dir, 0);
        using (var stream = new FileStream(index, FileMode.Append))
            stream.Write(Encoding.ASCII.GetBytes("garbage"));
        var e = OpenFails(dir);
        StringAssert.Contains(e.Message, "7 bytes follow the footer");
    }

    [TestMethod]
    public void Open_DetailFooterCountDisagrees_ThenRejected()
    {
        string dir = WriteSession(withDetail: true, events: 400);
        string detail = AtfFiles.DetailPath(dir, 0);
        long footer = new FileInfo(detail).Length - 64;
        AtfFiles.PatchUInt64(detail, footer + 8, 1);
        var e = OpenFails(dir);
        Assert.AreEqual(footer + 8, e.Offset);
        StringAssert.Contains(e.Message, "the footer counts 1 records");
    }
}
