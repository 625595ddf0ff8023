using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using CsCheck;
using TraceQuery.Formats;
using TraceQuery.Formats.Atf;
using TraceQuery.Formats.Chrome;
using TraceQuery.Fuzz;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Tests.Reliability;

namespace TraceQuery.Tests.Formats.Json;

/// <summary>
/// The event array parsed in chunks on all cores (issue 18 item 5, <see cref="ChromeChunkedEvents"/>): whatever the chunk
/// size, the trace (its ATF files byte for byte, and every span, attribute, link, count and warning) is the one-pass
/// read's, on every real fixture and on generated and randomly damaged files; errors are the same type, text and offset.
/// </summary>
[TestClass]
public sealed class ChromeChunkedReadTests
{
    public static IEnumerable<object[]> RealChromeFiles() => RealTraceFiles.Files("chrome").Select(f => new object[] { f });

    [TestMethod]
    [DynamicData(nameof(RealChromeFiles))]
    public void Read_RealFixtureInChunks_ThenSameTraceAsOnePass(string file)
    {
        byte[] bytes = JsonSinglePassTests.Content(RealTraceFiles.PathOf(file));
        string onePass = Outcome(bytes, -1);
        Assert.IsTrue(onePass.Length > 1000, $"{file}: the description should hold the trace, got {onePass.Length} chars");
        foreach (int chunk in new[] { 1, 700, 64 * 1024 })
        {
            Assert.AreEqual(onePass, Outcome(bytes, chunk, out int chunks), $"{file}: chunks of {chunk} bytes gave another trace");
            if (chunk < 1000)
                Assert.IsGreaterThan(1, chunks, $"{file}: chunks of {chunk} bytes");
        }
    }

    [TestMethod]
    public void Open_GeneratedFileInChunks_ThenSameTraceAsOnePassAndManyChunksRan()
    {
        string directory = Directory.CreateTempSubdirectory("tq-chunked-").FullName;
        try
        {
            string path = Path.Combine(directory, "generated.json");
            using (var generated = TraceGenerator.Generate(20_000, new TraceGeneratorOptions { Threads = 5, WithDetail = true, Anomalies = TraceAnomalies.Crash | TraceAnomalies.LatencyOutlier, Seed = 18 }))
                ChromeTraceWriter.Write(generated, path);
            byte[] bytes = File.ReadAllBytes(path);
            string onePass = Outcome(bytes, -1);
            // Through a memory stream and through the file (a read-only mapping).
            Assert.AreEqual(onePass, Outcome(bytes, 4096, out int chunks));
            Assert.IsGreaterThan(bytes.Length / 8192, chunks);
            Assert.AreEqual(OpenOutcome(path, -1), OpenOutcome(path, 4096));
            Assert.IsGreaterThan(100, bytes.Length / 4096, "the file should make many chunks");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void NextSplit_StringsEscapesAndNesting_ThenSplitsOnlyBetweenTopLevelElements()
    {
        byte[] text = Encoding.UTF8.GetBytes("""{"a":"},{\"x","b":[{},{}]} , {"c":"\\"} ,{"d":1}]""");
        int second = Array.IndexOf(text, (byte)'{', 27);
        Assert.AreEqual(second, ChromeChunkedEvents.NextSplit(text, 0, 1, out bool end));
        Assert.IsFalse(end);
        int third = ChromeChunkedEvents.NextSplit(text, second, 1, out end);
        Assert.AreEqual("""{"d":1}]""", Encoding.UTF8.GetString(text, third, text.Length - third));
        Assert.AreEqual(text.Length - 1, ChromeChunkedEvents.NextSplit(text, 0, 1000, out end));
        Assert.IsTrue(end);
        Assert.AreEqual(-1, ChromeChunkedEvents.NextSplit(text.AsSpan(0, text.Length - 1), third, 1, out _));
    }

    [TestMethod]
    [DataRow("""[{"ph":"X","name":"a","ts":1,"dur":2,"pid":1,"tid":1},~{"ph":"X","name":"b","ts":3,"dur":1,"pid":1,"tid":1},~{"ph":"B","name":"c","ts":5,"pid":1,"tid":"main"}~""", DisplayName = "truncated array (warning)")]
    [DataRow("""{"traceEvents":[{"ph":"X","name":"a","ts":1,"dur":2,"pid":1,"tid":1},~  {"ph":"X","name":"b","ts":3,"dur":1,"pid":1,"tid":1},~  {"ph":"X","name":"c","ts":4,"dur":1,"pid":1,"tid":1}],~ "displayTimeUnit":"ns"} x""", DisplayName = "trailing garbage after the object, on the last line")]
    [DataRow("""{"traceEvents":[~{"ph":"X","name":"a","ts":1,"dur":2,"pid":1,"tid":1},~{"ph":"X","name":"b","ts":3,"dur":1,"pid":1,"tid":1}],"k":~ tru}""", DisplayName = "bad value after the array, next line")]
    [DataRow("""{"traceEvents":[{"ph":"X","name":"a","ts":1,"dur":2,"pid":1,"tid":1}, {"ph":"X","name":"b","ts":3,"dur":1,"pid":1,"tid":1}, {"ph":"X","name":"c","ts":4,"dur":1,"pid":1,"tid":1}]  ,"k":tru}""", DisplayName = "bad value after the array, same line")]
    [DataRow("""[{"ph":"X","name":"a","ts":1,"dur":2,"pid":1,"tid":1},{"ph":"X","name":"b","ts":-3,"dur":1,"pid":1,"tid":1},{"ph":"X","name":"c","ts":4,"dur":1,"pid":1,"tid":1}]""", DisplayName = "bad value in a middle chunk")]
    [DataRow("""[{"ph":"X","name":"a","ts":1,"dur":2,"pid":1,"tid":1},{"ph":"X","name":"b","ts":3,"dur":1,"pid":1,"tid":1},{"ph":"X","name":"c","ts":4,"dur":1,"pid":1,"tid":1},]""", DisplayName = "trailing comma")]
    [DataRow("""[{"ph":"X","name":"a","ts":1,"dur":2,"pid":1,"tid":1},{"name":"b","ts":3},{"ph":"E","ts":4,"pid":1,"tid":1}]""", DisplayName = "an event with no phase")]
    [DataRow("""[{"ph":"B","name":"a","ts":1,"pid":1,"tid":1},{"ph":"E","ts":0,"pid":1,"tid":1},{"ph":"X","name":"c","ts":4,"dur":1,"pid":1,"tid":1}] [] """, DisplayName = "end before start, then a second value")]
    public void Read_DamagedInChunks_ThenSameErrorOrWarningsAsOnePass(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json.Replace('~', '\n'));
        string onePass = Outcome(bytes, -1);
        foreach (int chunk in new[] { 1, 30, 100 })
        {
            Assert.AreEqual(onePass, Outcome(bytes, chunk, out int chunks), $"chunks of {chunk} bytes");
            if (chunk == 1)
                Assert.IsGreaterThanOrEqualTo(1, chunks, "the first event, which is sound, should be read in a chunk of its own");
        }
    }

    [TestMethod]
    public void Read_RandomChunkSizesAndDamage_ThenSameOutcomeAsOnePass()
    {
        // Random split points (chunk sizes) over the seed corpus and damaged copies of it: the same trace, or the same error.
        var originals = SeedCorpus.Inputs("chrome");
        var cases = Gen.Select(Gen.Int[1, 400], Gen.Bool, Mutations.Damage);
        int errors = 0, traces = 0, chunked = 0;
        Property.ForAll(cases, 80, 0x5EED_0018UL, c =>
        {
            byte[] input = c.Item2 ? Mutations.Apply(originals, c.Item3) : originals[c.Item3.Base % originals.Count];
            string onePass = Outcome(input, -1);
            Assert.AreEqual(onePass, Outcome(input, c.Item1, out int chunks), $"chunks of {c.Item1} bytes");
            chunked += chunks;
            if (onePass.StartsWith("error ", StringComparison.Ordinal))
                errors++;
            else
                traces++;
        }, c => $"chunk {c.Item1}, damaged {c.Item2}, base {c.Item3.Base}, steps {string.Join(", ", c.Item3.Steps)}");
        Assert.IsGreaterThan(5, errors, "some damaged inputs should fail");
        Assert.IsGreaterThan(5, traces, "some inputs should read");
        Assert.IsGreaterThan(80, chunked, $"the chunks should have carried much of the reading: {chunked} chunks applied");
    }

    /// <summary>The trace read from <paramref name="bytes"/> (a visible memory stream, as a mapped file is) with the given chunk setting, or its error.</summary>
    private static string Outcome(byte[] bytes, int chunkBytes) => Outcome(bytes, chunkBytes, out _);

    private static string Outcome(byte[] bytes, int chunkBytes, out int chunks)
    {
        ChromeChunkedEvents.ChunkBytesOverride = chunkBytes;
        var applied = new StrongBox<int>();
        ChromeChunkedEvents.ChunksApplied = applied;
        chunks = 0;
        try
        {
            return Fingerprint(ChromeTraceReader.Read(new MemoryStream(bytes, 0, bytes.Length, writable: false, publiclyVisible: true), "fixture.json"));
        }
        catch (TraceFormatException e)
        {
            return $"error {e.GetType().Name} at {e.Offset}: {e.Message}";
        }
        finally
        {
            ChromeChunkedEvents.ChunkBytesOverride = 0;
            ChromeChunkedEvents.ChunksApplied = null;
            chunks = applied.Value;
        }
    }

    private static string OpenOutcome(string path, int chunkBytes)
    {
        ChromeChunkedEvents.ChunkBytesOverride = chunkBytes;
        try
        {
            return Fingerprint(ChromeTraceReader.Open(path));
        }
        finally
        {
            ChromeChunkedEvents.ChunkBytesOverride = 0;
        }
    }

    /// <summary>The trace's ATF files (hashes) and its description; disposes it.</summary>
    private static string Fingerprint(ExecutionTrace trace)
    {
        var text = new StringBuilder();
        string directory = Directory.CreateTempSubdirectory("tq-chunked-atf-").FullName;
        try
        {
            AtfWriter.Write(trace, directory);
            foreach (string file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                text.Append(Path.GetFileName(file)).Append(' ').Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))).Append('\n');
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
        return text.Append(JsonSinglePassTests.Describe(trace)).ToString();
    }
}
