using System.Text.Json;
using System.Text.RegularExpressions;
using TraceQuery.Analysis;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.Protocol;
using TraceQuery.Summaries;
using TraceQuery.Tests.Analysis;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Text;

namespace TraceQuery.Tests.Summaries;

[TestClass]
public sealed partial class ScopedSearchTests
{
    private static readonly TokenCounter Counter = new("gpt-4o");
    private static readonly QueryEngine Engine = new(tokenCounter: Counter);

    [TestMethod]
    public void SearchScoped_AtCrash_ThenLastCallsOfItsThreadAndOtherThreadsInTimeOrderWithinBudget()
    {
        using var trace = GoldenTraces.Create("crash");
        int crash = trace.Kinds.IndexOf((byte)EventKind.Exception);
        var anchor = trace.GetEventRef(crash);
        var result = Engine.SearchScoped(trace, new ScopedSearchOptions { Anchor = anchor.ToString() }, tokenBudget: 1500);

        Assert.IsTrue(result.TokenCount <= 1500, result.TokenCount.ToString());
        Assert.AreEqual(Counter.CountTokens(result.Summary), result.TokenCount);
        StringAssert.StartsWith(result.Summary, $"# Around {anchor} (EXCEPTION parse_header on thread {anchor.ThreadId}");
        StringAssert.Contains(result.Summary, $"- [anchor] ±0 {anchor} EXCEPTION parse_header");

        var shown = ShownEvents(trace, result.Summary);
        AssertTimeOrder(trace, shown);
        var thread = trace.GetThreadOfEvent(crash);
        // The last calls before the crash on its own thread: the five events just before it are all shown, before the anchor.
        for (int e = crash - 5; e < crash; e++)
            Assert.IsTrue(shown.IndexOf(e) >= 0 && shown.IndexOf(e) < shown.IndexOf(crash), $"{trace.GetEventRef(e)} is missing before the anchor");
        // Concurrent events of other threads, before and after the crash.
        long t = trace.Timestamps[crash];
        Assert.IsTrue(shown.Any(e => e < thread.Start && trace.Timestamps[e] <= t || e >= thread.End && trace.Timestamps[e] <= t), "no other thread before the crash");
        Assert.IsTrue(shown.Any(e => (e < thread.Start || e >= thread.End) && trace.Timestamps[e] > t), "no other thread after the crash");
        Assert.IsTrue(result.DidTruncate);
        StringAssert.Contains(result.Summary, result.NextCursor!);
    }

    [TestMethod]
    public void SearchScoped_WithCursor_ThenNextPageAddsFartherLinesWithoutRepeats()
    {
        using var trace = GoldenTraces.Create("crash");
        var options = new ScopedSearchOptions { Anchor = trace.GetEventRef(trace.Kinds.IndexOf((byte)EventKind.Exception)).ToString() };
        var first = Engine.SearchScoped(trace, options, 600);
        var second = Engine.SearchScoped(trace, options, 600, first.NextCursor);
        Assert.IsTrue(second.TokenCount <= 600);
        var a = ShownEvents(trace, first.Summary);
        var b = ShownEvents(trace, second.Summary);
        Assert.IsTrue(b.Count > 5);
        Assert.AreEqual(0, a.Intersect(b).Count(), "a line shown twice");
        AssertTimeOrder(trace, b);
        var cursorOfOther = Engine.SearchScoped(trace, options with { LookBackNs = 5_000 }, 600);
        Assert.ThrowsExactly<QueryArgumentException>(() => Engine.SearchScoped(trace, options, 600, cursorOfOther.NextCursor));
    }

    [TestMethod]
    public async Task SearchScoped_HotLoop_ThenRepeatsFoldedWithExemplarsThatEventsGetResolves()
    {
        using var trace = GoldenTraces.Create("hotloop");
        // A checksum_block call in the middle of a long run of them.
        int checksum = Enumerable.Range(0, trace.FunctionIds.Length).First(o => trace.GetFunctionName(o) == "checksum_block");
        int anchor = Enumerable.Range(20, trace.EventCount - 40).First(e => Enumerable.Range(e - 20, 40).All(i => trace.FunctionOrdinals[i] == checksum));
        int span = trace.Spans.SpanOfEvent[anchor];
        var result = Engine.SearchScoped(trace, new ScopedSearchOptions { Anchor = "span:" + span }, 3000);

        var folded = result.Summary.Split('\n').Where(l => l.Contains("events folded", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(folded.Count >= 1, result.Summary);
        var line = folded.First(l => l.Contains("checksum_block", StringComparison.Ordinal));
        StringAssert.Matches(line, FoldedLine());
        var refs = SpanRef().Matches(line).Select(m => m.Value).Distinct().ToList();
        Assert.IsTrue(refs.Count >= 2, line);
        // Exemplars are real spans of the run: checksum_block spans, the fastest no slower than the slowest.
        var durations = refs.Select(r => trace.Spans.GetDuration(int.Parse(r[5..], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        foreach (string r in refs)
            Assert.AreEqual(checksum, trace.Spans.GetFunctionOrdinal(int.Parse(r[5..], System.Globalization.CultureInfo.InvariantCulture)), r);

        await using var server = new TraceQueryServer(Engine);
        server.RegisterTrace("hotloop", trace);
        await server.StartAsync();
        string request = JsonSerializer.Serialize(new { method = "events.get", @params = new { trace = "hotloop", refs } });
        var response = JsonDocument.Parse(await server.HandleRequestAsync(request)).RootElement;
        Assert.AreEqual("success", response.GetProperty("status").GetString(), response.ToString());
        string data = response.GetProperty("data").GetString()!;
        foreach (string r in refs)
            StringAssert.Contains(data, $"- {r} checksum_block thread ");
        Assert.IsFalse(data.Contains("no such span", StringComparison.Ordinal));
    }

    [TestMethod]
    public void SearchScoped_WindowWithoutDetail_ThenPointsToNearestEventWithDetail()
    {
        using var trace = TraceGenerator.Generate(8_000, new TraceGeneratorOptions { WithDetail = true });
        // A hash_file call (no detail) whose 2 µs window holds no detail record.
        int hash = Enumerable.Range(0, trace.FunctionIds.Length).First(o => trace.GetFunctionName(o) == "hash_file");
        const long Window = 2_000;
        int anchor = Enumerable.Range(0, trace.EventCount).First(e => trace.FunctionOrdinals[e] == hash && trace.Kinds[e] == (byte)EventKind.Call
            && Enumerable.Range(0, trace.EventCount).All(i => trace.DetailSeqs[i] == TraceEvent.NoDetail || Math.Abs(trace.Timestamps[i] - trace.Timestamps[e]) > Window));
        long t = trace.Timestamps[anchor];
        int nearest = Enumerable.Range(0, trace.EventCount).Where(i => trace.DetailSeqs[i] != TraceEvent.NoDetail)
            .OrderBy(i => Math.Abs(trace.Timestamps[i] - t)).ThenBy(i => i).First();

        var result = Engine.SearchScoped(trace, new ScopedSearchOptions { Anchor = trace.GetEventRef(anchor).ToString(), LookBackNs = Window, LookAheadNs = Window }, 2000);
        StringAssert.Contains(result.Summary, $"- no detail records in this window (index data only); the nearest window with detail is around {trace.GetEventRef(nearest)} ");
        Assert.IsFalse(result.Summary.Contains("  detail: ", StringComparison.Ordinal));

        // Anchored there, the detail payload is shown under its event.
        var there = Engine.SearchScoped(trace, new ScopedSearchOptions { Anchor = trace.GetEventRef(nearest).ToString() }, 2000);
        StringAssert.Matches(there.Summary, DetailLine());
        Assert.IsFalse(there.Summary.Contains("no detail records", StringComparison.Ordinal));
    }

    [TestMethod]
    public void SearchScoped_TimeAnchorAndFilter_ThenAnchorLineAndOnlyMatchingEvents()
    {
        using var trace = GoldenTraces.Create("clean");
        var result = Engine.SearchScoped(trace, new ScopedSearchOptions { Anchor = "1ms", Filter = "fn:parse_*", LookBackNs = 200_000, LookAheadNs = 200_000 }, 3000);
        StringAssert.Contains(result.Summary, "- [anchor] ±0 time +1.00 ms into the trace; nearest event event:");
        var shown = ShownEvents(trace, result.Summary);
        Assert.IsTrue(shown.Count > 3);
        foreach (int e in shown)
            StringAssert.StartsWith(trace.GetFunctionName(trace.FunctionOrdinals[e]), "parse_");
        AssertTimeOrder(trace, shown);
    }

    [TestMethod]
    [DataRow("span:99999999", "span:99999999 does not exist")]
    [DataRow("event:9:9", "event:9:9 does not exist in this trace")]
    [DataRow("yesterday", "'yesterday' is not an anchor; use span:<id>, event:<thread>:<seq>, sample:<index> or a time")]
    [DataRow("", "An anchor is required")]
    public void SearchScoped_BadAnchor_ThenArgumentExceptionNamingAnchor(string anchor, string message)
    {
        using var trace = GoldenTraces.Create("clean", 2_000);
        var e = Assert.ThrowsExactly<QueryArgumentException>(() => Engine.SearchScoped(trace, new ScopedSearchOptions { Anchor = anchor }));
        Assert.AreEqual("anchor", e.ParamName);
        StringAssert.Contains(e.Message, message);
    }

    [TestMethod]
    public void SearchScoped_SampleCrash_ThenMatchesSnapshot()
    {
        using var trace = GoldenTraces.Create("crash", 6_000);
        var crash = trace.GetEventRef(trace.Kinds.IndexOf((byte)EventKind.Exception));
        var result = Engine.SearchScoped(trace, new ScopedSearchOptions { Anchor = crash.ToString() }, 700);
        Snapshot.Verify(result.Summary);
    }

    /// <summary>The event (first reference) of every event or folded line, in the order printed.</summary>
    internal static List<int> ShownEvents(ExecutionTrace trace, string text)
    {
        var shown = new List<int>();
        foreach (string line in text.Split('\n'))
        {
            if (!line.StartsWith("- ", StringComparison.Ordinal) || line.Contains("no detail records", StringComparison.Ordinal) || line.Contains("time +", StringComparison.Ordinal))
                continue;
            var m = EventRefPattern().Match(line);
            if (!m.Success)
                continue;
            Assert.IsTrue(EventRef.TryParse(m.Value, out var reference));
            Assert.IsTrue(trace.TryGetEventIndex(reference, out int e));
            shown.Add(e);
        }
        return shown;
    }

    /// <summary>Printed order is time order; ties by thread, then sequence.</summary>
    internal static void AssertTimeOrder(ExecutionTrace trace, List<int> shown)
    {
        for (int i = 1; i < shown.Count; i++)
        {
            int a = shown[i - 1], b = shown[i];
            var key = (trace.Timestamps[a], trace.GetThreadOfEvent(a).Index, a);
            var next = (trace.Timestamps[b], trace.GetThreadOfEvent(b).Index, b);
            Assert.IsTrue(key.CompareTo(next) < 0, $"{trace.GetEventRef(a)} printed before {trace.GetEventRef(b)}");
        }
    }

    [GeneratedRegex(@"event:\d+:\d+")]
    private static partial Regex EventRefPattern();

    [GeneratedRegex(@"span:\d+")]
    private static partial Regex SpanRef();

    [GeneratedRegex(@"event:\d+:\d+\.\.event:\d+:\d+ ×\d+ checksum_block depth \d+ \(\d+ events folded; fastest span:\d+")]
    private static partial Regex FoldedLine();

    [GeneratedRegex(@"\n  detail: (args|ret) 0x[0-9a-f]+(,0x[0-9a-f]+){7} lr=0x[0-9a-f]+ sp=0x[0-9a-f]+ stack \d+ B\n")]
    private static partial Regex DetailLine();
}
