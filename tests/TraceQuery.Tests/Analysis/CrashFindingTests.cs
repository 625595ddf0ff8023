using System.Globalization;
using System.Text.Json;
using TraceQuery.Analysis;
using TraceQuery.Formats.Atf;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Text;

namespace TraceQuery.Tests.Analysis;

/// <summary>
/// Crashes and abrupt ends on the original writer's layout (issue 21 item 2): a thread whose recording stops is a
/// critical finding with where it stood, its open stack outermost first, its last exception and what the recovery lost;
/// a killed session says so in the summary's first line; the finalized session shows no crash. Every expectation is
/// taken from the sessions' ground truth (expected.json), not from this code.
/// </summary>
[TestClass]
public sealed class CrashFindingTests
{
    private static readonly JsonElement Expected = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(TestPaths.Fixtures, "atf-original-writer", "expected.json"))).RootElement;

    private static readonly QueryEngine Engine = new(tokenCounter: new TokenCounter("gpt-4o"));

    public static IEnumerable<object[]> Sessions => [["finalized"], ["crash-at-stop"], ["killed-while-tracing"]];

    /// <summary>A function as a summary names it: its symbol, or <c>fn_0x…</c> when the session has no manifest.</summary>
    private static string Shown(string name, bool symbols) =>
        symbols ? name : "fn_" + Expected.GetProperty("symbols").EnumerateObject().Single(p => p.Value.GetString() == name).Name;

    [TestMethod]
    [DynamicData(nameof(Sessions))]
    public void Analyze_OriginalWriterSession_ThenEveryStoppedThreadIsACriticalCrashWithItsOpenStack(string session)
    {
        var expected = Expected.GetProperty("sessions").GetProperty(session);
        using var trace = AtfReader.Open(Path.Combine(TestPaths.OriginalWriterSessionsRoot, session));
        var findings = new Analyzer().Analyze(trace).Findings;
        var crashes = findings.Where(f => f.Kind == FindingKind.Crash).ToList();
        int stoppedWithEvents = 0;
        foreach (var t in expected.GetProperty("threads").EnumerateArray())
        {
            uint slot = t.GetProperty("slot").GetUInt32();
            string label = string.Create(CultureInfo.InvariantCulture, $"thread {slot}");
            var crash = crashes.SingleOrDefault(f => f.Title.EndsWith(label, StringComparison.Ordinal) || f.Title.Contains(label + " ", StringComparison.Ordinal));
            bool stopped = !t.GetProperty("finalized").GetBoolean() && t.GetProperty("events_on_disk").GetInt32() > 0;
            if (!stopped)
            {
                Assert.IsNull(crash, $"{session}/{label}: {crash}");
                continue;
            }
            stoppedWithEvents++;
            Assert.IsNotNull(crash, $"{session}/{label} has no crash finding: {string.Join(" | ", findings.Select(f => f.Title))}");
            Assert.AreEqual(Severity.Critical, crash.Severity);
            // Without a manifest there are no symbols: a frame is named by its function id (fn_0x…).
            var open = t.GetProperty("open_frames_at_end").EnumerateArray().Select(f => Shown(f.GetString()!, trace.Metadata.ManifestPresent)).ToList();
            StringAssert.Contains(crash.Rationale, string.Create(CultureInfo.InvariantCulture,
                $"Open stack ({open.Count} frame{(open.Count == 1 ? "" : "s")}, outermost first): {string.Join(" > ", open)}."));
            // Where it stood: the time of the thread's last event on disk, from the events (expected.json's time range).
            long at = t.GetProperty("time_end_ns").GetInt64() - trace.TimeStartNs;
            StringAssert.Contains(crash.Rationale, $"stops at {TraceText.Duration(at)} into the trace");
            StringAssert.Contains(crash.Title, "inside " + open[^1]);
            if (t.GetProperty("exception_events").EnumerateArray().LastOrDefault() is { ValueKind: JsonValueKind.Object } last)
                StringAssert.Contains(crash.Rationale, "Last exception: " + Shown(last.GetProperty("function").GetString()!, trace.Metadata.ManifestPresent) + " at ");
            StringAssert.Contains(crash.Rationale, string.Create(CultureInfo.InvariantCulture,
                $"{TraceText.Count(t.GetProperty("events_on_disk").GetInt32())} events recovered from an index without footer"));
            int dangling = t.GetProperty("dangling_detail_seq_on_disk").GetInt32();
            if (dangling > 0)
                StringAssert.Contains(crash.Rationale, $"{dangling} detail links dropped");
        }
        Assert.AreEqual(stoppedWithEvents, crashes.Count, string.Join(" | ", crashes.Select(c => c.Title)));
        if (stoppedWithEvents > 0)
        {
            Assert.AreEqual(FindingKind.Crash, findings[0].Kind, findings[0].Title);
            Assert.AreEqual(Severity.Critical, findings[0].Severity);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Sessions))]
    public void Summarize_OriginalWriterSession_ThenTheFirstLineSaysHowTheProcessEnded(string session)
    {
        var expected = Expected.GetProperty("sessions").GetProperty(session);
        using var trace = AtfReader.Open(Path.Combine(TestPaths.OriginalWriterSessionsRoot, session));
        string first = Engine.Summarize(trace, new SummaryRequest { TokenBudget = 256 }).Summary.Split('\n')[0];
        var unfinished = expected.GetProperty("threads").EnumerateArray().Where(t => !t.GetProperty("finalized").GetBoolean()).ToList();
        int threads = expected.GetProperty("threads").GetArrayLength();
        if (!expected.GetProperty("manifest_json").GetBoolean())
            StringAssert.Contains(first, $"the process was killed while tracing (no manifest.json; {unfinished.Count} of {threads} threads stopped without a footer)");
        else if (unfinished.Count > 0)
            StringAssert.Contains(first, "the process died while stopping the session (thread" + (unfinished.Count == 1 ? " " : "s ")
                + string.Join(", ", unfinished.Select(t => t.GetProperty("slot").GetInt32())) + " never finalized)");
        else
        {
            Assert.IsFalse(first.Contains("killed", StringComparison.Ordinal) || first.Contains("died", StringComparison.Ordinal), first);
            Assert.IsFalse(first.Contains("recovered", StringComparison.Ordinal), first);
        }
    }

    [TestMethod]
    public void Analyze_ExceptionThenTheThrowingFramesReturnWithOuterFramesOpen_ThenCrashNotSurvivedException()
    {
        // The original tracer's layout (ATF.md): EXCEPTION in decode_frame, then decode_frame's RETURN; main and run stay open.
        const ulong Main = 0x1_0000_0001, Run = 0x1_0000_0002, Decode = 0x1_0000_0003;
        var builder = new TraceBuilder()
            .AddSymbol(new SymbolInfo(Main, "main")).AddSymbol(new SymbolInfo(Run, "run")).AddSymbol(new SymbolInfo(Decode, "decode_frame"))
            .Add(new TraceEvent(100, Main, 0, EventKind.Call, 1))
            .Add(new TraceEvent(200, Run, 0, EventKind.Call, 2))
            .Add(new TraceEvent(300, Decode, 0, EventKind.Call, 3))
            .Add(new TraceEvent(400, Decode, 0, EventKind.Exception, 3), "InvalidDataException: bad frame header")
            .Add(new TraceEvent(410, Decode, 0, EventKind.Return, 3))
            // Another thread goes on much longer.
            .Add(new TraceEvent(100, Main, 1, EventKind.Call, 1))
            .Add(new TraceEvent(10_000, Main, 1, EventKind.Return, 1));
        using var trace = builder.Build();
        var findings = new Analyzer().Analyze(trace).Findings;
        var first = findings[0];
        Assert.AreEqual(FindingKind.Crash, first.Kind);
        Assert.AreEqual(Severity.Critical, first.Severity);
        Assert.AreEqual("Crash in decode_frame (mod_0x00000001) on thread 0", first.Title);
        StringAssert.Contains(first.Rationale, "Open stack (2 frames, outermost first): main > run.");
        StringAssert.Contains(first.Rationale, "Exception: \"InvalidDataException: bad frame header\".");
        Assert.IsFalse(findings.Any(f => f.Kind == FindingKind.Exception), "the fatal exception is not one the thread survived");
    }

    [TestMethod]
    public void Analyze_GeneratedCleanTrace_ThenNoCrash()
    {
        using var trace = TraceQuery.Generation.TraceGenerator.Generate(20_000, new TraceQuery.Generation.TraceGeneratorOptions { Seed = 7, Threads = 3 });
        var critical = new Analyzer().Analyze(trace).Findings.Where(f => f.Severity == Severity.Critical).ToList();
        Assert.AreEqual(0, critical.Count, string.Join("\n", critical.Select(f => f.Title + ". " + f.Rationale)));
    }
}
