using System.IO.Compression;
using System.Text;
using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Json;

/// <summary>
/// The envelope around JSON traces: gzip (found by its magic bytes, streamed, bounded, every member checked
/// against its trailer) and a UTF-8 byte order mark, for both readers and for content sniffing.
/// </summary>
[TestClass]
public sealed class JsonEnvelopeTests
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    private static byte[] Fixture(string format, string name) => File.ReadAllBytes(Path.Combine(TestPaths.Fixtures, format, name));

    private static byte[] Gzip(byte[] content)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(content);
        return output.ToArray();
    }

    private static string Write(byte[] bytes, string name)
    {
        string path = Path.Combine(TestPaths.NewTempDirectory("envelope"), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string[] Spans(string path, JsonTraceReadOptions? options = null)
    {
        using var trace = TraceFile.Open(path, options);
        return SpanText.Spans(trace);
    }

    public static IEnumerable<object[]> Fixtures =>
    [
        ["chrome", "phases.json", TraceFileFormat.ChromeJson],
        ["otlp", "traces.json", TraceFileFormat.OtlpJson],
        ["otlp", "lines.jsonl", TraceFileFormat.OtlpJson],
    ];

    [TestMethod]
    [DynamicData(nameof(Fixtures))]
    public void Open_GzipOrBomOrBoth_ThenSameSpansAsThePlainFile(string format, string name, TraceFileFormat expected)
    {
        byte[] plain = Fixture(format, name);
        var reference = Spans(Write(plain, name));
        Assert.IsTrue(reference.Length > 0);
        byte[] bom = [.. Bom, .. plain];
        // A name that does not say gzip: the magic bytes decide.
        foreach (var (bytes, file) in new[] { (Gzip(plain), name + ".gz"), (bom, name), (Gzip(bom), "trace.bin") })
        {
            string path = Write(bytes, file);
            Assert.AreEqual(expected, TraceFile.DetectFormat(path), file);
            CollectionAssert.AreEqual(reference, Spans(path), file);
        }
    }

    [TestMethod]
    public void Open_ConcatenatedGzipMembers_ThenReadAsOneStream()
    {
        byte[] plain = Fixture("otlp", "lines.jsonl");
        int cut = Array.IndexOf(plain, (byte)'\n') + 1;
        Assert.IsTrue(cut > 1 && cut < plain.Length);
        byte[] twoMembers = [.. Gzip(plain[..cut]), .. Gzip(plain[cut..])];
        CollectionAssert.AreEqual(Spans(Write(plain, "a.jsonl")), Spans(Write(twoMembers, "a.jsonl.gz")));
        // An empty member between them changes nothing either.
        byte[] threeMembers = [.. Gzip(plain[..cut]), .. Gzip([]), .. Gzip(plain[cut..])];
        CollectionAssert.AreEqual(Spans(Write(plain, "a.jsonl")), Spans(Write(threeMembers, "b.jsonl.gz")));
    }

    [TestMethod]
    public void Open_GzipPaddedWithZeros_ThenPaddingIgnored()
    {
        byte[] plain = Fixture("chrome", "phases.json");
        byte[] padded = [.. Gzip(plain), .. new byte[512]];
        CollectionAssert.AreEqual(Spans(Write(plain, "p.json")), Spans(Write(padded, "p.json.gz")));
    }

    [TestMethod]
    public void Open_GzipFollowedByOtherBytes_ThenDamageWithOffset()
    {
        byte[] gzip = Gzip(Fixture("chrome", "phases.json"));
        string path = Write([.. gzip, .. "junk"u8], "p.json.gz");
        var e = Assert.ThrowsExactly<TraceFormatException>(() => TraceFile.Open(path).Dispose());
        Assert.AreEqual(gzip.Length, e.Offset, e.Message);
        StringAssert.Contains(e.Message, "4 bytes after gzip member 1 are neither another gzip member nor zero padding");
    }

    [TestMethod]
    public void Open_TruncatedGzip_ThenCutShortWithSizes()
    {
        byte[] plain = Fixture("chrome", "phases.json");
        byte[] gzip = Gzip(plain);
        // Inside the header, inside the deflate data, just before and inside the 8-byte trailer.
        foreach (int length in new[] { 5, 10, gzip.Length / 2, gzip.Length - 8, gzip.Length - 1 })
        {
            string path = Write(gzip[..length], "cut.json.gz");
            var e = Assert.ThrowsExactly<TraceFormatException>(() => TraceFile.Open(path).Dispose(), length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.AreEqual(length, e.Offset, e.Message);
            StringAssert.Contains(e.Message, "the gzip file is cut short");
            StringAssert.Contains(e.Message, "member 1 (starting at byte 0)");
            Assert.IsFalse(e.Message.Contains("TraceEvent", StringComparison.Ordinal), e.Message);
        }
    }

    [TestMethod]
    public void Open_TruncatedSecondMember_ThenCutShortNamesThatMember()
    {
        byte[] plain = Fixture("otlp", "lines.jsonl");
        int cut = Array.IndexOf(plain, (byte)'\n') + 1;
        byte[] first = Gzip(plain[..cut]);
        byte[] second = Gzip(plain[cut..]);
        string path = Write([.. first, .. second[..(second.Length - 3)]], "cut.jsonl.gz");
        var e = Assert.ThrowsExactly<TraceFormatException>(() => TraceFile.Open(path).Dispose());
        StringAssert.Contains(e.Message, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"member 2 (starting at byte {first.Length}) ends without its CRC-32 and size trailer after {plain.Length - cut:N0} decompressed bytes"));
    }

    [TestMethod]
    public void Open_GzipWithAWrongTrailer_ThenDamage()
    {
        byte[] gzip = Gzip(Fixture("chrome", "phases.json"));
        gzip[^8] ^= 0x55; // the CRC-32
        string path = Write(gzip, "crc.json.gz");
        var e = Assert.ThrowsExactly<TraceFormatException>(() => TraceFile.Open(path).Dispose());
        StringAssert.Contains(e.Message, "the gzip file is cut short or damaged");
        StringAssert.Contains(e.Message, "or the trailer does not match them");
    }

    [TestMethod]
    public void Open_GzipBomBeyondTheLimit_ThenTypedErrorNotMemory()
    {
        // 16 MiB of empty OTLP requests, one per line, compress to about 16 KiB.
        var content = new MemoryStream();
        while (content.Length < 16 << 20)
            content.Write("{\"resourceSpans\":[]}\n"u8);
        byte[] bomb = Gzip(content.ToArray());
        Assert.IsTrue(bomb.Length < 1 << 20, bomb.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        string path = Write(bomb, "bomb.json.gz");
        var e = Assert.ThrowsExactly<TraceFormatException>(() => TraceFile.Open(path, new JsonTraceReadOptions { MaxDecompressedBytes = 8 << 20 }).Dispose());
        StringAssert.Contains(e.Message, "decompresses to more than the limit of 8,388,608 bytes");
        StringAssert.Contains(e.Message, "gzip bomb");
        // The same file under the default limit is read (an empty trace): the limit, not the content, refused it.
        using var trace = TraceFile.Open(path);
        Assert.AreEqual(0, trace.EventCount);
    }

    [TestMethod]
    public void Open_BadJsonInsideGzip_ThenOffsetSaysDecompressed()
    {
        byte[] bad = Encoding.UTF8.GetBytes("""{"traceEvents":[{"name":"a" "ph":"X"}]}""");
        var e = Assert.ThrowsExactly<TraceFormatException>(() => TraceFile.Open(Write(Gzip(bad), "bad.json.gz")).Dispose());
        Assert.AreEqual(28, e.Offset, e.Message);
        StringAssert.Contains(e.Message, "the byte offset counts decompressed bytes");
    }

    [TestMethod]
    public void Read_BomBeforeInvalidJson_ThenOffsetCountsTheBom()
    {
        byte[] bad = [.. Bom, .. """{"traceEvents":[{"name":"a" "ph":"X"}]}"""u8];
        var e = Assert.ThrowsExactly<TraceFormatException>(() => TraceFile.Open(Write(bad, "bad.json")).Dispose());
        Assert.AreEqual(31, e.Offset, e.Message);
    }

    [TestMethod]
    public void DetectFormat_BomOnlyOrDamagedGzip_ThenUnknownNotAnException()
    {
        Assert.AreEqual(TraceFileFormat.Unknown, TraceFile.DetectFormat(Write(Bom, "bom.json")));
        Assert.AreEqual(TraceFileFormat.Unknown, TraceFile.DetectFormat(Write([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF], "bad.gz")));
        Assert.AreEqual(TraceFileFormat.Unknown, TraceFile.DetectFormat(Bom));
    }
}
