using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Atf;

[TestClass]
public sealed class AtfRoundTripTests
{
    public static IEnumerable<object[]> Shapes =>
    [
        [1, false],
        [1, true],
        [4, false],
        [4, true],
    ];

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void WriteReadWrite_GeneratedSession_ThenEventsEqualAndBytesIdentical(int threads, bool withDetail)
    {
        using var original = TraceGenerator.Generate(5_001, new TraceGeneratorOptions { Threads = threads, WithDetail = withDetail, Seed = 7 });
        string first = TestPaths.NewTempDirectory("rt1");
        string second = TestPaths.NewTempDirectory("rt2");

        AtfWriter.Write(original, first);
        using (var read = AtfReader.Open(first))
        {
            AssertSameTrace(original, read);
            Assert.IsFalse(read.WasRecovered);
            AtfWriter.Write(read, second);
        }

        var firstFiles = Directory.GetFiles(first, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(first, f)).Order(StringComparer.Ordinal).ToList();
        var secondFiles = Directory.GetFiles(second, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(second, f)).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(firstFiles, secondFiles);
        Assert.AreEqual(withDetail, firstFiles.Any(f => f.EndsWith("detail.atf", StringComparison.Ordinal)));
        foreach (string file in firstFiles)
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)), file);
    }

    [TestMethod]
    public void Write_Session_ThenFootersCarryRealCrc32()
    {
        using var trace = TraceGenerator.Generate(1_000, new TraceGeneratorOptions { Threads = 1, WithDetail = true });
        string dir = TestPaths.NewTempDirectory("crc");
        AtfWriter.Write(trace, dir);

        var index = File.ReadAllBytes(AtfFiles.IndexPath(dir, 0));
        uint stored = BitConverter.ToUInt32(index, index.Length - 64 + 4);
        uint computed = System.IO.Hashing.Crc32.HashToUInt32(index.AsSpan(64, index.Length - 128));
        Assert.AreNotEqual(0u, stored);
        Assert.AreEqual(computed, stored);

        var detail = File.ReadAllBytes(AtfFiles.DetailPath(dir, 0));
        uint detailStored = BitConverter.ToUInt32(detail, detail.Length - 64 + 4);
        Assert.AreEqual(System.IO.Hashing.Crc32.HashToUInt32(detail.AsSpan(64, detail.Length - 128)), detailStored);
    }

    internal static void AssertSameTrace(ExecutionTrace expected, ExecutionTrace actual)
    {
        Assert.AreEqual(expected.EventCount, actual.EventCount);
        CollectionAssert.AreEqual(expected.Threads.Select(t => (t.Id, t.Count)).ToList(), actual.Threads.Select(t => (t.Id, t.Count)).ToList());
        for (int i = 0; i < expected.EventCount; i++)
            Assert.AreEqual(expected.GetEvent(i), actual.GetEvent(i), $"event {i}");
        CollectionAssert.AreEqual(expected.Symbols.Symbols.ToList(), actual.Symbols.Symbols.ToList());
        CollectionAssert.AreEqual(expected.Symbols.Modules.ToList(), actual.Symbols.Modules.ToList());
        Assert.AreEqual(expected.Metadata.Os, actual.Metadata.Os);
        Assert.AreEqual(expected.Metadata.Arch, actual.Metadata.Arch);
        Assert.AreEqual(expected.Metadata.ClockType, actual.Metadata.ClockType);
        foreach (var thread in expected.Threads)
        {
            int records = expected.Details?.GetRecordCount(thread.Index) ?? 0;
            Assert.AreEqual(records, actual.Details?.GetRecordCount(thread.Index) ?? 0);
            for (uint seq = 0; seq < records; seq++)
            {
                Assert.IsTrue(expected.Details!.TryGetRecord(thread.Index, seq, out var a));
                Assert.IsTrue(actual.Details!.TryGetRecord(thread.Index, seq, out var b));
                Assert.AreEqual((a.EventType, a.Flags, a.IndexSeq, a.ThreadId, a.TimestampNs), (b.EventType, b.Flags, b.IndexSeq, b.ThreadId, b.TimestampNs));
                CollectionAssert.AreEqual(a.Payload.ToArray(), b.Payload.ToArray());
            }
        }
    }
}
