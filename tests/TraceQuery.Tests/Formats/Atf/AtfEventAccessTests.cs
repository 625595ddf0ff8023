using TraceQuery.Formats;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Vectorized;

namespace TraceQuery.Tests.Formats.Atf;

/// <summary>
/// Every way the open reaches the index events (mapping, populated mapping, read calls; AVX2 or scalar pass) reads the
/// original writer's sessions (finalized, killed while stopping, killed while tracing) into the same trace.
/// </summary>
[TestClass]
public sealed class AtfEventAccessTests
{
    public static IEnumerable<object[]> Sessions => OriginalWriterFixtureTests.Sessions;

    [TestMethod]
    [DynamicData(nameof(Sessions))]
    public void Open_OriginalWriterSession_EveryEventAccessGivesTheSameTrace(string session)
    {
        string directory = Path.Combine(TestPaths.OriginalWriterSessionsRoot, session);
        using var mapped = AtfReader.Open(directory);
        foreach (var access in Enum.GetValues<AtfEventAccess>())
        {
            foreach (bool scalar in new[] { false, true })
            {
                using var scope = KernelDispatch.ForceScalarScope(scalar);
                using var other = AtfReader.Open(directory, new AtfReadOptions { EventAccess = access });
                AtfRoundTripTests.AssertSameTrace(mapped, other);
                CollectionAssert.AreEqual(mapped.Threads.ToList(), other.Threads.ToList(), $"{access}, scalar {scalar}: threads and recovery");
                CollectionAssert.AreEqual(mapped.Metadata.Warnings.ToList(), other.Metadata.Warnings.ToList(), $"{access}, scalar {scalar}: warnings");
            }
        }
        Assert.IsTrue(mapped.EventCount > 0);
    }

    [TestMethod]
    public void Open_CorruptEventByReadCalls_SameTypedErrorAsTheMapping()
    {
        string directory = TestPaths.NewTempDirectory("atf-access");
        var builder = new TraceBuilder();
        builder.AddThread(0);
        for (int i = 0; i < 100; i++)
            builder.Add(new TraceEvent((ulong)(1000 + i), 0x1_0000_0002, 0, i % 2 == 0 ? EventKind.Call : EventKind.Return, 1));
        using (var trace = builder.Build())
            AtfWriter.Write(trace, directory);
        string index = Path.Combine(directory, "thread_0", "index.atf");
        var bytes = File.ReadAllBytes(index);
        bytes[64 + (37 * 32) + 20] = 9; // event 37's kind
        File.WriteAllBytes(index, bytes);

        foreach (bool verify in new[] { true, false })
        {
            var mapped = Assert.ThrowsExactly<TraceFormatException>(() => AtfReader.Open(directory, new AtfReadOptions { VerifyChecksums = verify }));
            var read = Assert.ThrowsExactly<TraceFormatException>(() => AtfReader.Open(directory, new AtfReadOptions { VerifyChecksums = verify, EventAccess = AtfEventAccess.ReadCalls }));
            Assert.AreEqual(mapped.Message, read.Message);
            StringAssert.Contains(mapped.Message, verify ? "CRC32 mismatch" : "event 37 has kind 9");
        }
    }
}
