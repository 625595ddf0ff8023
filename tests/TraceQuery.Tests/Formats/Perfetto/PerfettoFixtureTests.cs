using System.IO.Compression;
using System.Text.Json;
using TraceQuery.Filtering;
using TraceQuery.Fleet;
using TraceQuery.Formats;
using TraceQuery.Formats.Perfetto;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Perfetto;

/// <summary>
/// Real Perfetto protobuf traces (recorded by Chromium, or taken from public repositories) read through
/// <see cref="TraceFile.Open"/>, checked against the facts an independent decoder wrote
/// (<c>Fixtures/perfetto/perfetto_facts.py</c> → <c>Fixtures/perfetto/facts.json</c>). A trace lives in
/// <c>Fixtures/perfetto/</c> when recorded for this repository, else in <c>../shared/fixtures/perfetto/</c>.
/// </summary>
[TestClass]
public sealed class PerfettoFixtureTests
{
    public TestContext TestContext { get; set; } = null!;

    private static string FixtureFolder => Path.Combine(TestPaths.Fixtures, "perfetto");

    private static string SharedFolder => Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "fixtures", "perfetto"));

    private static readonly Lazy<JsonElement> Facts = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureFolder, "facts.json"))).RootElement);

    public static IEnumerable<object[]> Files => Facts.Value.EnumerateObject().Select(p => new object[] { p.Name }).ToArray();

    internal static string PathOf(string file)
    {
        string local = Path.Combine(FixtureFolder, file);
        return File.Exists(local) ? local : Path.Combine(SharedFolder, file);
    }

    [TestMethod]
    [DynamicData(nameof(Files))]
    public void Open_PerfettoFixture_ThenFormatIsDetected(string file)
    {
        string path = PathOf(file);
        Assert.IsTrue(File.Exists(path), $"{file}: neither in {FixtureFolder} nor in {SharedFolder}");
        Assert.AreEqual(TraceFileFormat.PerfettoProtobuf, TraceFile.DetectFormat(path));
    }

    [TestMethod]
    [DynamicData(nameof(Files))]
    public void Open_PerfettoFixture_ThenIndependentFactsHold(string file)
    {
        var expected = Facts.Value.GetProperty(file);
        using var trace = TraceFile.Open(PathOf(file));
        Assert.AreEqual("perfetto-protobuf", trace.Metadata.SourceFormat);

        var events = expected.GetProperty("events");
        long Count(string key) => events.TryGetProperty(key, out var v) ? v.GetInt64() : 0;

        // Thread-track slices (ended or not) and instants: every thread-track begin and instant is one span.
        var spans = trace.Spans;
        int threadSpans = 0, threadInstants = 0, annotated = 0, postedFrom = 0;
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int s = 0; s < spans.Count; s++)
        {
            if (spans.GetTrack(s) == SpanTrack.Async)
                continue;
            int start = spans.StartEvents[s];
            if ((spans.GetMarks(s) & SpanMarks.Instant) != 0)
                threadInstants++;
            else
                threadSpans++;
            if (trace.TryGetAttributes(start, out var attributes) && attributes.Count > 0)
            {
                // Debug annotations; the task's source location (task.posted_from.*) is counted on its own.
                if (attributes.Any(a => !a.Key.StartsWith("task.posted_from.", StringComparison.Ordinal)))
                    annotated++;
                if (attributes.Any(a => a.Key == "task.posted_from.file_name"))
                    postedFrom++;
            }
            string name = trace.GetFunctionName(spans.GetFunctionOrdinal(s));
            names[name] = names.GetValueOrDefault(name) + 1;
        }
        Assert.AreEqual(Count("thread_begin"), threadSpans, "thread-track slices");
        Assert.AreEqual(Count("thread_instant"), threadInstants, "thread-track instants");
        Assert.AreEqual(expected.GetProperty("thread_slices_and_instants_annotated").GetInt64(), annotated, "slices and instants with debug annotations as attributes");
        Assert.AreEqual(expected.GetProperty("thread_slices_and_instants_with_posted_from").GetInt64(), postedFrom, "slices and instants with the task's source location");

        foreach (var top in expected.GetProperty("top_names").EnumerateArray())
        {
            string name = top[0].GetString()!;
            Assert.AreEqual(top[1].GetInt32(), names.GetValueOrDefault(name), $"spans named {name}");
        }

        var threads = trace.Threads.Where(t => t.Track != SpanTrack.Async).ToArray();
        Assert.AreEqual(expected.GetProperty("threads_with_events").GetInt32(), threads.Length, "threads with events");
        foreach (var pair in expected.GetProperty("thread_names").EnumerateObject())
        {
            string[] ids = pair.Name.Split('/');
            var thread = threads.SingleOrDefault(t => t.ProcessId == ids[0] && t.OriginalThreadId == ids[1]);
            Assert.IsNotNull(thread, $"thread {pair.Name}");
            Assert.AreEqual(pair.Value.GetString(), thread.Name, $"name of thread {pair.Name}");
        }
        foreach (var pair in expected.GetProperty("process_names").EnumerateObject())
        {
            var inProcess = trace.Threads.Where(t => t.ProcessId == pair.Name).ToArray();
            foreach (var thread in inProcess)
                Assert.AreEqual(pair.Value.GetString(), thread.ProcessName, $"process name of {pair.Name}");
        }

        // Flow links as Perfetto's trace processor makes them (the facts script's definition): one per later slice that
        // carries a flow id under way, in timestamp order, each joining the two slices that carry the id.
        var flows = trace.Links.Where(l => l.Kind == "flow:perfetto.flow").ToArray();
        Assert.AreEqual(expected.GetProperty("flow_links").GetInt64(), flows.Length, "flow links");
        Assert.AreEqual(0, trace.Metadata.UnresolvedLinks, "unresolved links");
        Assert.IsTrue(flows.All(l => l.FromEvent != l.ToEvent), "a flow link joins two different slices");

        // Extra counter values beside slices (Chrome's per-thread CPU time): every value on its thread's counter series,
        // incremental values summed as the facts sum them.
        var threadCounters = trace.Metadata.Counters.Where(c => c.Name.Contains(" (thread ", StringComparison.Ordinal)).ToArray();
        Assert.AreEqual(expected.GetProperty("extra_counter_values").GetInt64(), threadCounters.Sum(c => c.Count), "extra counter values");
        foreach (var pair in expected.GetProperty("thread_counter_last_of_busiest").EnumerateObject())
        {
            string tid = pair.Name.Split('/')[1];
            var series = threadCounters.Single(c => c.Name.EndsWith($" (thread {tid}).value", StringComparison.Ordinal));
            Assert.AreEqual(pair.Value.GetDouble(), series.Last, $"last counter value of thread {pair.Name}");
        }

        // What the reader did not map is counted, never dropped in silence.
        long notTrackEvents = expected.GetProperty("packets").GetInt64() - expected.GetProperty("track_events").GetInt64();
        if (notTrackEvents > 0)
            Assert.IsTrue(trace.Metadata.SkippedRecords.Any(k => k.Kind.StartsWith("perfetto", StringComparison.Ordinal)), "skipped packet kinds are reported");
    }

    [TestMethod]
    public void Open_GzippedPerfettoTrace_ThenSameSpansAsPlain()
    {
        string plain = PathOf("chromium156-page.pftrace");
        string dir = TestPaths.NewTempDirectory("pf");
        string gz = Path.Combine(dir, "trace.bin");
        using (var output = File.Create(gz))
        using (var zip = new GZipStream(output, CompressionLevel.Fastest))
            zip.Write(File.ReadAllBytes(plain));
        Assert.AreEqual(TraceFileFormat.PerfettoProtobuf, TraceFile.DetectFormat(gz));
        using var a = TraceFile.Open(plain);
        using var b = TraceFile.Open(gz);
        Assert.AreEqual(a.Spans.Count, b.Spans.Count);
        Assert.AreEqual(a.EventCount, b.EventCount);
        CollectionAssert.AreEqual(a.Timestamps.ToArray(), b.Timestamps.ToArray());
        Directory.Delete(dir, recursive: true);
    }

    [TestMethod]
    public void Query_RecordedPerfettoTrace_ThenFilterCountsMatchTheFactsAndInfoNamesTheFormat()
    {
        var expected = Facts.Value.GetProperty("chromium156-page.pftrace");
        using var trace = TraceFile.Open(PathOf("chromium156-page.pftrace"));
        var engine = new QueryEngine(tokenCounter: new TokenCounter("gpt-4o"));
        var top = expected.GetProperty("top_names")[0];
        string name = top[0].GetString()!;
        // Every span of that name is a CALL event on a thread track (the facts count thread-track begins and instants).
        var selection = EventFilter.Parse("kind:call and fn:" + name).Evaluate(trace);
        Assert.AreEqual(top[1].GetInt64(), selection.Count);
        var info = engine.Info(trace, new TraceInfoRequest { TokenBudget = 2_000 });
        StringAssert.Contains(info.Summary, "perfetto-protobuf");
        StringAssert.Contains(info.Summary, "CrRendererMain");
    }

    [TestMethod]
    public void FromPath_FolderWithPerfettoTraces_ThenListedAsPerfetto()
    {
        string dir = TestPaths.NewTempDirectory("pfset");
        File.Copy(PathOf("chromium156-page.pftrace"), Path.Combine(dir, "page.pftrace"));
        File.Copy(PathOf("chromium156-flows.pftrace.gz"), Path.Combine(dir, "flows.pftrace.gz"));
        var set = TraceSet.FromPath(dir);
        CollectionAssert.AreEqual(new[] { "flows.pftrace.gz", "page.pftrace" }, set.Entries.Select(e => e.Name).ToArray());
        Assert.IsTrue(set.Entries.All(e => e.Format == TraceFileFormat.PerfettoProtobuf));
        Directory.Delete(dir, recursive: true);
    }

    [TestMethod]
    public void Open_EmptyRealTrace_ThenNoSpansAndServicePacketsCounted()
    {
        using var trace = TraceFile.Open(PathOf("qmljulia-trace.pftrace"));
        Assert.AreEqual(0, trace.Spans.Count);
        // 23 packets: 12 clock snapshots (mapped to time, not skipped); the rest are service packets, each counted.
        long skipped = trace.Metadata.SkippedRecords.Where(k => k.Kind.StartsWith("perfetto", StringComparison.Ordinal)).Sum(k => k.Count);
        Assert.AreEqual(11, skipped);
    }
}
