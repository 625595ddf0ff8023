using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Summaries;

/// <summary>What producers wrote (args, thread and process names, counts) shows wherever a real trace is shown.</summary>
[TestClass]
public sealed class RealTraceDisplayTests
{
    private static readonly QueryEngine Engine = new(tokenCounter: new TokenCounter("gpt-4o"));
    private static readonly Lazy<ExecutionTrace> Clang14 = new(() => TraceFile.Open(RealTraceFiles.PathOf("clang14-ftime-trace-config_parser.json")));
    private const string FeaturesArgs = "args{detail=\"/usr/include/features.h\"}";

    private static int FeaturesSpan(ExecutionTrace trace)
    {
        var spans = trace.Spans;
        return Enumerable.Range(0, spans.Count).Single(s => trace.TryGetAttributes(spans.StartEvents[s], out var a) && a.Find("detail") == "/usr/include/features.h");
    }

    [TestMethod]
    public void GetEvents_CallOfAClangSourceSpan_ThenItsArgsAreShown()
    {
        var trace = Clang14.Value;
        int call = trace.Spans.StartEvents[FeaturesSpan(trace)];
        string reference = trace.GetEventRef(call).ToString();
        var result = Engine.GetEvents(trace, new EventLookupRequest { References = [reference, "span:" + FeaturesSpan(trace)], TokenBudget = 800 });
        var lines = result.Summary.Split('\n');
        StringAssert.Contains(lines.Single(l => l.Contains(reference + " call Source", StringComparison.Ordinal)), FeaturesArgs);
        StringAssert.Contains(lines.Single(l => l.StartsWith("- span:" + FeaturesSpan(trace) + " Source", StringComparison.Ordinal)), FeaturesArgs);
    }

    [TestMethod]
    public void Query_FullProjectionWithArgFilter_ThenTheLineShowsTheArgs()
    {
        var trace = Clang14.Value;
        var result = Engine.Query(trace, new EventQueryRequest { Filter = "arg.detail:*features.h", Projection = EventProjection.Full, TokenBudget = 600 });
        Assert.AreEqual(1, result.EventsMatched);
        StringAssert.Contains(result.Summary, "call Source depth");
        StringAssert.Contains(result.Summary, FeaturesArgs);
    }

    [TestMethod]
    public void SearchScopedAndListSpans_AroundAClangSourceSpan_ThenArgsAreShown()
    {
        var trace = Clang14.Value;
        int span = FeaturesSpan(trace);
        var scoped = Engine.SearchScoped(trace, new ScopedSearchRequest { Anchor = "span:" + span, LookBackNs = 0, LookAheadNs = 0, TokenBudget = 800 });
        StringAssert.Contains(scoped.Summary, FeaturesArgs);
        var listed = Engine.ListSpans(trace, new SpanListRequest { Function = "Source", MinDurationNs = 5_860_000, MaxDurationNs = 5_860_000, TokenBudget = 800 });
        StringAssert.Contains(listed.Summary, FeaturesArgs);
    }

    [TestMethod]
    public void Info_FourProcessDevToolsTrace_ThenNamesProcessesThreadsAndRelatesRecordsToSpansAndEvents()
    {
        using var trace = TraceFile.Open(RealTraceFiles.PathOf("devtools-chrome85-parcel.json"));
        var result = Engine.Info(trace, new TraceInfoRequest { TokenBudget = 4_000 });
        StringAssert.Contains(result.Summary, "CrBrowserMain (Browser pid 312 tid 775)");
        StringAssert.Contains(result.Summary, "CrRendererMain (Renderer pid 63312 tid 775)");
        StringAssert.Contains(result.Summary, "CrGpuMain (GPU Process pid 421 tid 775)");
        StringAssert.Contains(result.Summary, "- records: 4,329 read → ");
        StringAssert.Contains(result.Summary, "(a span is a CALL and a RETURN");
        StringAssert.Contains(result.Summary, "Browser pid 312 (async)");
        string text = TraceInfoText.Render(trace, firstEvents: 0);
        StringAssert.Contains(text, "records: 4,329 read → ");
        StringAssert.Contains(text, "CrRendererMain (Renderer pid 63312 tid 775)");
    }
}
