using TraceQuery.Fleet;
using TraceQuery.Formats;
using TraceQuery.Model;

namespace TraceQuery.Tests.Formats;

/// <summary>
/// The extension point for readers outside the core (<see cref="TraceFile.Register"/>): a registered reader is picked
/// by its magic bytes by TraceFile.Open and DetectFormat and found by folder walks by its extension.
/// </summary>
[TestClass]
public sealed class TraceFileReaderRegistryTests
{
    // A format of this test's own, so that no other test's registration interferes.
    private static readonly TraceFileReader TestReader = new("test format", ".tqregistrytest", "TQREGv1\n"u8, path =>
    {
        var builder = new TraceBuilder { Metadata = new TraceMetadata { SourceFormat = "registry-test", SourcePath = path } };
        builder.AddSymbol(new SymbolInfo(0x1_0000_0001, "registered_reader_main"));
        builder.AddSpan(new SpanRecord { SpanId = 1, ThreadId = 1, FunctionId = 0x1_0000_0001, StartNs = 10, EndNs = 1_010 });
        return builder.Build();
    });

    [TestMethod]
    public void Open_FileWithARegisteredMagic_ThenTheRegisteredReaderReadsIt()
    {
        TraceFile.Register(TestReader);
        string directory = Path.Combine(Path.GetTempPath(), $"tq-registry-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            string path = Path.Combine(directory, "run.tqregistrytest");
            File.WriteAllText(path, "TQREGv1\nanything");
            File.WriteAllText(Path.Combine(directory, "other.tqregistrytest"), "not the magic");
            Assert.AreEqual(TraceFileFormat.Registered, TraceFile.DetectFormat(path));
            Assert.AreSame(TestReader, TraceFile.FindReader("TQREGv1\nx"u8));
            Assert.IsNull(TraceFile.FindReader("TQREGv2\nx"u8));
            using (var trace = TraceFile.Open(path))
            {
                Assert.AreEqual("registry-test", trace.Metadata.SourceFormat);
                Assert.AreEqual(1_000L, trace.Spans.GetDuration(0));
            }
            var set = TraceSet.FromPath(directory);
            CollectionAssert.AreEqual(new[] { "run.tqregistrytest" }, set.Entries.Select(e => e.Name).ToArray(), "the walk takes the registered extension; a file without the magic is skipped");
            Assert.AreEqual(TraceFileFormat.Registered, set.Entries[0].Format);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void Register_SameExtensionTwice_ThenTheLaterReaderReplacesTheEarlier()
    {
        var first = new TraceFileReader("first", ".tqreplacetest", "TQREPL01"u8, _ => throw new InvalidOperationException());
        var second = new TraceFileReader("second", ".TQREPLACETEST", "TQREPL02"u8, _ => throw new InvalidOperationException());
        TraceFile.Register(first);
        TraceFile.Register(second);
        Assert.AreEqual(1, TraceFile.Readers.Count(r => r.Extension.Equals(".tqreplacetest", StringComparison.OrdinalIgnoreCase)));
        Assert.IsNull(TraceFile.FindReader("TQREPL01"u8));
        Assert.AreSame(second, TraceFile.FindReader("TQREPL02"u8));
    }

    [TestMethod]
    public void TraceFileReader_ShortMagicOrExtensionWithoutDot_ThenArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new TraceFileReader("x", ".x", "abc"u8, _ => throw new InvalidOperationException()));
        Assert.ThrowsExactly<ArgumentException>(() => new TraceFileReader("x", "x", "abcd"u8, _ => throw new InvalidOperationException()));
    }
}
