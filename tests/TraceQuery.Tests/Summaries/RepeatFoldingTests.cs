using TraceQuery.Filtering;
using TraceQuery.Generation;
using TraceQuery.Summaries.Internals;

namespace TraceQuery.Tests.Summaries;

[TestClass]
public sealed class RepeatFoldingTests
{
    [TestMethod]
    [DataRow("")]
    [DataRow("fn:checksum_block")]
    [DataRow("fn:open_store or kind:exception")]
    [DataRow("depth>3")]
    [DataRow("kind:return and fn:*_block")]
    public void Fold_GeneratedTraces_ThenEveryEventOnceInOrderAndCountAgrees(string filter)
    {
        using var trace = TraceGenerator.Generate(6_000, new TraceGeneratorOptions { Seed = 3, Anomalies = TraceAnomalies.HotLoop | TraceAnomalies.Crash });
        var selection = (filter.Length == 0 ? EventFilter.All : EventFilter.Parse(filter)).Evaluate(trace);
        var events = selection.Indices().ToList();
        var runs = RepeatFolding.Fold(trace, events).ToList();
        CollectionAssert.AreEqual(events, runs.SelectMany(r => r.Events).ToList());
        var (singles, folded) = RepeatFolding.Count(trace, events);
        Assert.AreEqual(runs.Count(r => !r.Folded), singles);
        Assert.AreEqual(runs.Count(r => r.Folded), folded);
        foreach (var run in runs.Where(r => r.Folded))
        {
            // One thread, one function, one depth, at least three spans.
            Assert.AreEqual(1, run.Events.Select(e => trace.GetThreadOfEvent(e).Index).Distinct().Count());
            Assert.AreEqual(1, run.Events.Select(e => (trace.FunctionOrdinals[e], trace.Depths[e])).Distinct().Count());
            Assert.IsTrue(RepeatFolding.SpansOf(trace, run.Events).Count >= RepeatFolding.MinimumSpans);
        }
        // Only checksum_block listed: each thread's calls at one depth are consecutive, so nearly all fold.
        if (filter == "fn:checksum_block")
            Assert.IsTrue(runs.Where(r => r.Folded).Sum(r => r.Events.Count) > events.Count * 0.9, $"{folded} folded runs");
    }
}
