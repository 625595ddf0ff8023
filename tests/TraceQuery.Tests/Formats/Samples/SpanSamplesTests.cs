using TraceQuery.Analysis;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Tests.Formats.Samples;

/// <summary>A trace with spans and samples: the samples inside a long span say what it was doing.</summary>
[TestClass]
public sealed class SpanSamplesTests
{
    private static readonly ulong Request = SymbolTable.MakeFunctionId(1, 1), Parse = SymbolTable.MakeFunctionId(1, 2);

    [TestMethod]
    public void Analyze_SpansWithSamplesInside_ThenFindingNamesWhatTheLongestSpansWereDoing()
    {
        var b = new TraceBuilder();
        b.AddSymbol(new SymbolInfo(Request, "request")).AddSymbol(new SymbolInfo(Parse, "parse"));
        b.AddSpan(new SpanRecord { SpanId = 1, ThreadId = 1, FunctionId = Request, StartNs = 0, EndNs = 100_000 });
        b.AddSpan(new SpanRecord { SpanId = 2, ParentSpanId = 1, ThreadId = 1, FunctionId = Parse, StartNs = 10_000, EndNs = 60_000 });
        int parse = b.AddSampleStack([new SampleFrame("main"), new SampleFrame("parseJson")]);
        int render = b.AddSampleStack([new SampleFrame("main"), new SampleFrame("render")]);
        int wait = b.AddSampleStack([new SampleFrame("main"), new SampleFrame("Monitor.Wait")]);
        // Every 10 µs: 10..50 µs in parseJson (5 samples), 0 and 60..80 µs in render (4), 90 µs waiting; one outside the span.
        for (int t = 0; t < 100; t += 10)
        {
            var (stack, state) = t is >= 10 and <= 50 ? (parse, SampleState.Running) : t == 90 ? (wait, SampleState.Waiting) : (render, SampleState.Running);
            b.AddSample(1, (ulong)t * 1_000, stack, 10_000, state);
        }
        b.AddSample(1, 500_000, render, 10_000, SampleState.Running);
        using var trace = b.Build();

        var inside = new Analyzer().Analyze(trace).Findings.Where(f => f.Title.StartsWith("Inside ", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(2, inside.Count);
        // request: 9 CPU samples (the waiting one is not CPU), 5 of them in parseJson.
        var request = inside.Single(f => f.Title.StartsWith("Inside request", StringComparison.Ordinal));
        Assert.AreEqual($"Inside request ({TraceText.Duration(100_000L)}): 55.6% of its sampled CPU (9 samples) in parseJson", request.Title);
        StringAssert.Contains(request.Rationale, "1 waiting sample (");
        Assert.AreEqual(FindingKind.SampledHotSpot, request.Kind);
        Assert.AreEqual(Request, request.FunctionId);
        // parse [10, 60) µs: the 5 samples at 10..50 µs, all parseJson.
        var parseSpan = inside.Single(f => f.Title.StartsWith("Inside parse", StringComparison.Ordinal));
        Assert.AreEqual($"Inside parse ({TraceText.Duration(50_000L)}): 100% of its sampled CPU (5 samples) in parseJson", parseSpan.Title);
        Assert.AreEqual(EvidenceKind.Span, parseSpan.Evidence[0].Kind);
    }
}
