using System.Text;
using CsCheck;
using TraceQuery.Formats;
using TraceQuery.Formats.Atf;
using TraceQuery.Fuzz;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.Tests.Formats.Atf;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Reliability;

/// <summary>Random valid traces round-trip through AtfWriter/AtfReader; random damage gives a typed error or a reported recovery.</summary>
[TestClass]
public sealed class AtfPropertyTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly Gen<string> Name = Gen.OneOf(
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz_:<>()0123456789"], 1, 24],
        Gen.String[Gen.Char, 0, 12],
        Gen.Const("operator()"), Gen.Const("std::vector<int>::push_back"), Gen.Const("naïve_ünïcode_🙂"));

    private static readonly Gen<ulong> FunctionId = Gen.Select(Gen.UInt[0, 3], Gen.UInt[0, 6], (module, symbol) => ((ulong)module << 32) | symbol);

    /// <summary>One thread: strictly increasing timestamps, any kinds and depths, some events with detail payloads.</summary>
    private static Gen<(uint Id, (long Gap, ulong Function, byte Kind, uint Depth, byte[]? Detail)[] Events)> Thread(uint id) =>
        Gen.Select(Gen.Long[1, 5_000], FunctionId, Gen.Byte[1, 3], Gen.UInt[1, 9], Gen.Frequency((3, Gen.Const((byte[]?)null)), (1, Gen.Byte.Array[0, 48].Select(b => (byte[]?)b))))
            .Array[0, 40].Select(events => (id, events));

    private static readonly Gen<ExecutionTrace> ValidTrace =
        Gen.Select(
            Gen.Int[1, 3].SelectMany(n => Gen.Select(Thread(0), Thread(1), Thread(5), (a, b, c) => new[] { a, b, c }[..n])),
            Gen.Select(FunctionId, Name).Array[0, 8],
            Gen.Long[0, 1L << 50],
            (threads, names, start) =>
            {
                var builder = new TraceBuilder { Metadata = new TraceMetadata { SourceFormat = "memory", Os = TraceOs.Linux, Arch = TraceArch.Arm64, ClockType = TraceClock.BootTime } };
                var seen = new HashSet<ulong>();
                var modules = new HashSet<uint>();
                foreach (var (id, name) in names)
                {
                    if (seen.Add(id))
                    {
                        builder.AddSymbol(new SymbolInfo(id, name));
                        if (modules.Add((uint)(id >> 32)))
                            builder.AddModule(new ModuleInfo((uint)(id >> 32), "/lib/" + name + ".so", 0x1000, 4096, null));
                    }
                }
                foreach (var (id, events) in threads)
                {
                    builder.AddThread(id);
                    long time = start;
                    foreach (var (gap, function, kind, depth, detail) in events)
                    {
                        time += gap;
                        var e = new TraceEvent((ulong)time, function, id, (EventKind)kind, depth);
                        if (detail is null)
                            builder.Add(e);
                        else
                            builder.Add(e, detail, 3);
                    }
                }
                return builder.Build();
            });

    [TestMethod]
    public void WriteThenOpen_RandomValidTraces_ThenSameEventsSymbolsAndDetails()
    {
        int withDetail = 0, events = 0;
        Property.ForAll(ValidTrace, 20, 0x5EED_0001, trace =>
        {
            using (trace)
            {
                string directory = TestPaths.NewTempDirectory("prop-rt");
                AtfWriter.Write(trace, directory);
                using var read = AtfReader.Open(directory);
                AtfRoundTripTests.AssertSameTrace(trace, read);
                Assert.IsFalse(read.WasRecovered, string.Join("; ", read.Metadata.Warnings));
                withDetail += trace.Details is null ? 0 : 1;
                events += trace.EventCount;
                Directory.Delete(directory, recursive: true);
            }
        }, t => $"{t.EventCount} events on {t.Threads.Count} threads");
        Assert.IsGreaterThan(3, withDetail, "the generator should produce traces with detail records");
        Assert.IsGreaterThan(300, events);
    }

    [TestMethod]
    public void Open_RandomlyDamagedSessions_ThenTypedErrorOrReportedRecovery()
    {
        var originals = SeedCorpus.AtfBundles();
        var tally = new Property.Tally();
        Property.ForAll(Mutations.Damage, 120, 0x5EED_0002, damage =>
        {
            byte[] input = Mutations.Apply(originals, damage);
            tally.Add(Property.Run(FuzzTargets.AtfSession, input));
        }, d => $"seed bundle {d.Base}, steps {string.Join(", ", d.Steps)}");
        TestContext.WriteLine("ATF mutations: " + tally);
        Assert.IsGreaterThan(30, tally[FuzzOutcome.Rejected], tally.ToString());
        Assert.IsGreaterThan(10, tally[FuzzOutcome.Recovered], tally.ToString());
    }

    [TestMethod]
    public void Open_ManifestWithInvalidUtf8InAString_ThenTraceFormatException()
    {
        // Found by fuzz/run.sh atf: System.Text.Json's GetString threw InvalidOperationException.
        string directory = TestPaths.NewTempDirectory("bad-utf8");
        using (var trace = TraceGenerator.Generate(10, new TraceGeneratorOptions { Threads = 1 }))
            AtfWriter.Write(trace, directory);
        var manifest = Encoding.UTF8.GetBytes("""{"threads":[{"id":0}],"modules":[{"module_id":1,"path":"/lib/X.so"}],"symbols":[]}""");
        manifest[Array.IndexOf(manifest, (byte)'X')] = 0xC3; // a lead byte without its continuation
        File.WriteAllBytes(Path.Combine(directory, "manifest.json"), manifest);

        var error = Assert.ThrowsExactly<TraceFormatException>(() => AtfReader.Open(directory));
        StringAssert.Contains(error.Message, "$.modules[0].path is not valid UTF-8 text");
    }

    [TestMethod]
    [DataRow(10UL)]
    [DataRow(0x8000_0000_0000_0000UL)]
    [DataRow(ulong.MaxValue)]
    public void Open_UnfinalizedIndexWithFooterOffsetOutsideTheEvents_ThenRecoveredNotReadOutOfBounds(ulong footerOffset)
    {
        // Found by fuzz/run.sh atf: a header claiming a footer before the events (or past 2^63) with no footer
        // made the event count negative; the column pass then read outside the mapping (access violation)
        // or threw OverflowException.
        string directory = TestPaths.NewTempDirectory("footer-offset");
        using (var trace = TraceGenerator.Generate(40, new TraceGeneratorOptions { Threads = 1 }))
            AtfWriter.Write(trace, directory);
        string index = AtfFiles.IndexPath(directory, 0);
        AtfFiles.Truncate(index, new FileInfo(index).Length - 64); // drop the footer: the tracer was killed
        AtfFiles.PatchUInt64(index, 40, footerOffset);

        using var read = AtfReader.Open(directory);
        Assert.AreEqual(40, read.EventCount);
        Assert.IsTrue(read.WasRecovered);
        Assert.IsFalse(read.Threads[0].Recovery.IndexFinalized);
    }
}
