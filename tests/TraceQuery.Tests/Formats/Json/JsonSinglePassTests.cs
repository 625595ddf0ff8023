using System.Globalization;
using System.IO.Compression;
using System.Text;
using TraceQuery.Formats;
using TraceQuery.Formats.Chrome;
using TraceQuery.Formats.Internals;
using TraceQuery.Formats.Otlp;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Json;

/// <summary>
/// The lean single pass (issue 18 item 5): the readers hand each event or span to the collector's reader once, its end
/// found by a structural scan (<see cref="JsonStream.ValueEnd"/>), and fall back to the two-pass read where the value is
/// not complete. Whatever the stream's reads cut the bytes into, the trace is the same, on every real fixture; values
/// the scan cannot delimit and malformed ones give the errors of the two-pass read.
/// </summary>
[TestClass]
public sealed class JsonSinglePassTests
{
    public static IEnumerable<object[]> RealJsonFiles() =>
        RealTraceFiles.Files("chrome").Select(f => new object[] { f, "chrome" })
            .Concat(RealTraceFiles.Files("otlp").Select(f => new object[] { f, "otlp" }));

    [TestMethod]
    [DynamicData(nameof(RealJsonFiles))]
    public void Read_RealFixtureInSmallReads_ThenSameTraceAsInOneRead(string file, string format)
    {
        byte[] bytes = Content(RealTraceFiles.PathOf(file));
        string whole = Describe(Read(format, new MemoryStream(bytes)));
        Assert.IsTrue(whole.Length > 1000, $"{file}: the description should hold the trace, got {whole.Length} chars");
        foreach (int size in new[] { 61, 4093 })
        {
            string pieces = Describe(Read(format, new SmallReadStream(bytes, size)));
            Assert.AreEqual(whole, pieces, $"{file}: reads of {size} bytes gave another trace");
        }
    }

    [TestMethod]
    [DataRow("""[{"a":1}]""", 0, 9)]
    [DataRow(""" , {"a":"}{][\"","b":[1,{"c":"]"}]} ,{}""", 3, 35)]
    [DataRow("""{"a":"\\"}x""", 0, 10)]
    [DataRow("""[[],[[]]]""", 0, 9)]
    public void ValueEnd_StringsAndNesting_ThenEndOfTheFirstValue(string text, int begin, int end)
    {
        Assert.AreEqual(end, JsonStream.ValueEnd(Encoding.UTF8.GetBytes(text), out int at));
        Assert.AreEqual(begin, at);
    }

    [TestMethod]
    [DataRow("""{"a":"}""")]
    [DataRow("""{"a":{"b":1}""")]
    [DataRow("""{"a":"\""")]
    [DataRow("   ")]
    public void ValueEnd_ValueNotComplete_ThenMinusOne(string text) =>
        Assert.AreEqual(-1, JsonStream.ValueEnd(Encoding.UTF8.GetBytes(text), out _));

    [TestMethod]
    [DataRow("1,")]
    [DataRow("\"x\"")]
    [DataRow(",,{}")]
    public void ValueEnd_NotAnObjectOrArray_ThenMinusTwo(string text) =>
        Assert.AreEqual(-2, JsonStream.ValueEnd(Encoding.UTF8.GetBytes(text), out _));

    [TestMethod]
    [DataRow("""[{"ph":"X","name":"a","ts":1,"dur":2,"pid":1,"tid":1},{"ph":"X","name":"b" "ts":5}]""", 75L, "'\"' is invalid after a value")]
    [DataRow("""[{"ph":"X","name":"a","ts":"late","dur":2 x}]""", 42L, "'x' is invalid after a value")]
    [DataRow("""[{"ph":"X","name":"a","ts":"late","dur":2}]""", 27L, "'ts' must be a number of microseconds")]
    [DataRow("""[{"ph":"X","name":"a","ts":1,"dur":2,"pid":1,"tid":1},{"ph":"X","name":"b","ts":5""", 81L, "is an invalid end of a number")]
    public void Read_MalformedEvent_ThenTheTwoPassError(string json, long? offset, string problem)
    {
        // A syntax error anywhere in an event wins over a mapping error earlier in it, as when the event was
        // tokenized whole before it was mapped; either way at the byte that is wrong.
        var e = Assert.ThrowsExactly<TraceFormatException>(() => ChromeTraceReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "bad.json"));
        StringAssert.Contains(e.Message, problem);
        if (offset is not null)
            Assert.AreEqual(offset, e.Offset, e.Message);
    }

    private static ExecutionTrace Read(string format, Stream stream) =>
        format == "chrome" ? ChromeTraceReader.Read(stream, "fixture.json") : OtlpJsonReader.Read(stream, "fixture.json");

    internal static byte[] Content(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes is not [0x1f, 0x8b, ..])
            return bytes;
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Spans, every thread's events, attributes, span events, links and what the metadata reports, as text.</summary>
    internal static string Describe(ExecutionTrace trace)
    {
        using (trace)
        {
            var text = new StringBuilder();
            text.AppendJoin('\n', SpanText.Spans(trace)).Append('\n');
            foreach (var thread in trace.Threads)
                text.AppendJoin('\n', SpanText.Events(trace, thread.Id)).Append('\n');
            for (int e = 0; e < trace.EventCount; e++)
            {
                if (trace.TryGetAttributes(e, out var attributes))
                    text.Append(CultureInfo.InvariantCulture, $"attrs@{e} ").AppendJoin(", ", attributes.Select(a => a.Key + "=" + a.Value)).Append('\n');
                foreach (var spanEvent in trace.GetSpanEvents(e))
                    text.Append(CultureInfo.InvariantCulture, $"event@{e} {spanEvent.Name} @{spanEvent.TimestampNs}\n");
            }
            foreach (var link in trace.Links)
                text.Append(CultureInfo.InvariantCulture, $"link {link.FromEvent}->{link.ToEvent} {link.Kind}\n");
            var metadata = trace.Metadata;
            text.Append(CultureInfo.InvariantCulture, $"records {metadata.RecordsRead} samples {metadata.CpuSamples} unresolved {metadata.UnresolvedLinks}\n");
            foreach (var skipped in metadata.SkippedRecords)
                text.Append(skipped).Append('\n');
            foreach (var counter in metadata.Counters)
                text.Append(counter).Append('\n');
            text.AppendJoin('\n', metadata.Warnings);
            return text.ToString();
        }
    }

    /// <summary>Hands out at most <c>size</c> bytes per read, so values straddle every kind of buffer boundary.</summary>
    private sealed class SmallReadStream(byte[] bytes, int size) : MemoryStream(bytes, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, size));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, size)]);
    }
}
