using TraceQuery.Formats;
using TraceQuery.Formats.Chrome;
using TraceQuery.Formats.Otlp;
using TraceQuery.Model;

namespace TraceQuery.Tests.Formats.Json;

[TestClass]
public sealed class JsonBadInputTests
{
    private static TraceFormatException Chrome(string json, JsonTraceReadOptions? options = null) =>
        Assert.ThrowsExactly<TraceFormatException>(() => ChromeTraceReader.Read(OtlpJsonReaderTests.Stream(json), "bad.json", options).Dispose());

    private static TraceFormatException Otlp(string json, JsonTraceReadOptions? options = null) =>
        Assert.ThrowsExactly<TraceFormatException>(() => OtlpJsonReader.Read(OtlpJsonReaderTests.Stream(json), "bad.json", options).Dispose());

    [TestMethod]
    public void Read_InvalidJson_ThenErrorNamesTheByteOffset()
    {
        var e = Chrome("""{"traceEvents":[{"name":"a","ph":"X","ts":1,"dur":1},{"name":"b" "ph":"X"}]}""");
        Assert.AreEqual(65, e.Offset, e.Message); // the second property, missing its comma
        StringAssert.StartsWith(e.Message, "bad.json at byte 65: invalid JSON:");
    }

    [TestMethod]
    public void Read_InvalidJsonOnALaterLine_ThenOffsetCountsEarlierLines()
    {
        var e = Otlp("{\"resourceSpans\":[]}\n{\"resourceSpans\":[]}\n{\"resourceSpans\":[}\n");
        Assert.AreEqual(60, e.Offset, e.Message);
    }

    [TestMethod]
    public void Read_WrongTypes_ThenErrorNamesFieldAndOffset()
    {
        var e = Chrome("""[{"name":"a","ph":"X","ts":"soon"}]""");
        Assert.AreEqual(27, e.Offset);
        StringAssert.Contains(e.Message, "field 'ts' must be a number of microseconds, not a string");

        e = Otlp("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"0000000000000001","name":"x","startTimeUnixNano":{"n":1}}]}]}]}""");
        StringAssert.Contains(e.Message, "field 'startTimeUnixNano' must be an integer as a number or a string of digits, not an object");
        Assert.AreEqual(103, e.Offset);

        e = Otlp("""{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"AAECAwQFBg!=","name":"x","startTimeUnixNano":1}]}]}]}""");
        StringAssert.Contains(e.Message, "'spanId' holds 'AAECAwQFBg!=', which is neither 16 hex digits nor the base64 of 8 bytes");
    }

    [TestMethod]
    public void Read_EmptyPropertyNamesAndStrings_ThenReadLikeAnyOther()
    {
        // An empty name ("") once made the reader look for its text before the start of the buffer (found by the
        // fuzz smoke in CI): unknown properties are skipped and counted, empty strings are empty names.
        using var otlp = OtlpJsonReader.Read(OtlpJsonReaderTests.Stream(
            """{"":{"x":""},"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"","spanId":"0000000000000001","name":"","":"","startTimeUnixNano":"1","endTimeUnixNano":"5"}]}]}]}"""), "empty.json");
        Assert.AreEqual(2, otlp.EventCount);
        Assert.AreEqual(4L, otlp.Spans.GetDuration(0));

        using var chrome = ChromeTraceReader.Read(OtlpJsonReaderTests.Stream(
            """{"":"","traceEvents":[{"":1,"name":"","ph":"X","ts":1,"dur":2,"pid":1,"tid":1}]}"""), "empty.json");
        Assert.AreEqual(2, chrome.EventCount);
        Assert.AreEqual(2_000L, chrome.Spans.GetDuration(0));
    }

    [TestMethod]
    public void Read_TimesPastTheLargestNanosecond_ThenTypedError()
    {
        // Found by fuzzing: a time that fits an unsigned but not a signed 64-bit nanosecond count reached the trace
        // builder and came out as ArgumentException.
        var e = Chrome("""[{"name":"a","ph":"B","ts":1,"pid":1,"tid":1},{"name":"a","ph":"E","ts":11111117300000027.873,"pid":1,"tid":1}]""");
        StringAssert.Contains(e.Message, "field 'ts' holds 11111117300000027.873, which is not a non-negative number of microseconds that fits in signed 64-bit nanoseconds");

        // Each time fits, their sum does not.
        e = Chrome("""[{"name":"a","ph":"X","ts":9000000000000000,"dur":9000000000000000,"pid":1,"tid":1}]""");
        StringAssert.StartsWith(e.Message, "bad.json: the events cannot form a trace:");
    }

    [TestMethod]
    public void Read_AbsurdNesting_ThenErrorAtTheDepthLimit()
    {
        string deep = "[{\"name\":\"a\",\"ph\":\"X\",\"ts\":1,\"args\":" + new string('[', 10_000) + new string(']', 10_000) + "}]";
        var e = Chrome(deep);
        StringAssert.Contains(e.Message, "maximum configured depth of 64");
        Assert.IsTrue(e.Offset is > 30 and < 100, e.Message);
    }

    [TestMethod]
    public void Read_HugeString_ThenErrorInsteadOfBufferingIt()
    {
        // 100 MB of string in one event, against the default limit of 16 MiB per value.
        var stream = new ConcatenatedStream(
            "[{\"name\":\"a\",\"ph\":\"X\",\"ts\":1,\"args\":{\"blob\":\""u8.ToArray(), (byte)'x', 100_000_000, "\"}}]"u8.ToArray());
        var e = Assert.ThrowsExactly<TraceFormatException>(() => ChromeTraceReader.Read(stream, "huge.json").Dispose());
        Assert.AreEqual(1, e.Offset);
        StringAssert.Contains(e.Message, "larger than the limit of 16,777,216 bytes");
    }

    [TestMethod]
    public void Read_EndBeforeStartAndNotATrace_ThenRecoveryOrTypedError()
    {
        using (var trace = OtlpJsonReader.Read(OtlpJsonReaderTests.Stream(
            """{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"0000000000000001","name":"x","startTimeUnixNano":"100","endTimeUnixNano":"50"}]}]}]}"""), "rev.json"))
        {
            Assert.AreEqual(0, trace.Spans.GetDuration(0));
            StringAssert.StartsWith(trace.Metadata.Warnings[0], "1 span(s) had endTimeUnixNano before startTimeUnixNano (first at byte 43)");
        }
        var e = Chrome("""{"displayTimeUnit":"ms"}""");
        StringAssert.Contains(e.Message, "no 'traceEvents' array");
        e = Otlp("");
        StringAssert.Contains(e.Message, "the file is empty");
        using (var trace = OtlpJsonReader.Read(OtlpJsonReaderTests.Stream(
            """{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"0000000000000001","name":"x"},{"spanId":"0000000000000002","name":"y","startTimeUnixNano":5}]}]}]}"""), "nostart.json"))
        {
            // One span without a start time is skipped and counted; the file is still read.
            Assert.AreEqual(1, trace.Spans.Count);
            Assert.AreEqual(2L, trace.Metadata.RecordsRead);
            CollectionAssert.Contains(trace.Metadata.SkippedRecords.ToArray(), new SkippedRecordKind("OTLP span without startTimeUnixNano", 1));
            CollectionAssert.Contains(trace.Metadata.Warnings.ToArray(), "skipped 1 × OTLP span without startTimeUnixNano (first at byte 43).");
        }
        e = Otlp("""{"resourceSpans":[{"scopeSpans":[{"spans":[""");
        StringAssert.Contains(e.Message, "open JSON object or array");
    }

    /// <summary>A prefix, a byte repeated many times, and a suffix, without allocating the middle.</summary>
    private sealed class ConcatenatedStream(byte[] prefix, byte repeated, long count, byte[] suffix) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => prefix.Length + count + suffix.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int length)
        {
            int written = 0;
            while (written < length && _position < Length)
            {
                long p = _position;
                buffer[offset + written++] = p < prefix.Length ? prefix[p] : p < prefix.Length + count ? repeated : suffix[p - prefix.Length - count];
                _position++;
            }
            return written;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
