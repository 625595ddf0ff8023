using TraceQuery.Analysis;
using TraceQuery.Generation;

namespace TraceQuery.Tests.Analysis;

[TestClass]
public sealed class SpanExemplarsTests
{
    [TestMethod]
    public void Of_RandomGroups_ThenNearestRanksOfDurationsTiesBySpanId()
    {
        using var trace = TraceGenerator.Generate(6_000, new TraceGeneratorOptions { Seed = 7, Anomalies = TraceAnomalies.LatencyOutlier });
        var random = new Random(7);
        for (int round = 0; round < 300; round++)
        {
            int[] group = [.. Enumerable.Range(0, trace.Spans.Count).OrderBy(_ => random.Next()).Take(random.Next(1, 200))];
            var sorted = group.OrderBy(s => trace.Spans.GetDuration(s)).ThenBy(s => s).ToArray();
            int At(double p) => sorted[(int)Math.Round(p * (sorted.Length - 1), MidpointRounding.AwayFromZero)];
            var x = SpanExemplars.Of(trace, group)!.Value;
            Assert.AreEqual(new SpanExemplars(group.Length, sorted[0], At(0.5), At(0.95), At(0.99), sorted[^1]), x);
        }
        Assert.IsNull(SpanExemplars.Of(trace, []));
    }

    [TestMethod]
    public void ToString_RepeatedSpans_ThenLabelsMerged()
    {
        Assert.AreEqual("span:4", new SpanExemplars(1, 4, 4, 4, 4, 4).ToString());
        Assert.AreEqual("fastest span:1 · median span:2 · p95/p99/slowest span:9", new SpanExemplars(3, 1, 2, 9, 9, 9).ToString());
        Assert.AreEqual("fastest span:1 · median span:2 · p95 span:3 · p99 span:4 · slowest span:5", new SpanExemplars(500, 1, 2, 3, 4, 5).ToString());
    }

    [TestMethod]
    public void ForFunctions_ThenExtremesExactAndPercentileSpansNearestTheStatistic()
    {
        using var trace = TraceGenerator.Generate(4_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.LatencyOutlier | TraceAnomalies.Crash });
        var stats = new Analyzer().ComputeFunctionStats(trace);
        var all = SpanExemplars.ForFunctions(trace, stats);
        for (int i = 0; i < stats.Count; i++)
        {
            var f = stats[i];
            int[] spans = [.. Enumerable.Range(0, trace.Spans.Count).Where(s => trace.Spans.GetFunctionOrdinal(s) == f.Ordinal)];
            int Nearest(double target) => spans.OrderBy(s => Math.Abs(trace.Spans.GetDuration(s) - target)).ThenBy(s => s).First();
            Assert.AreEqual(new SpanExemplars(f.Count, Nearest(f.MinNs), Nearest(f.P50Ns), Nearest(f.P95Ns), Nearest(f.P99Ns), Nearest(f.MaxNs)), all[i], f.Name);
            Assert.AreEqual(f.MinNs, trace.Spans.GetDuration(all[i]!.Value.Fastest));
            Assert.AreEqual(f.MaxNs, trace.Spans.GetDuration(all[i]!.Value.Slowest));
        }
    }

    [TestMethod]
    [DataRow(2)]
    [DataRow(7)]
    [DataRow(64)]
    public void ForFunctions_SpansInParallelRanges_ThenSameExemplarsAsOnePass(int ranges)
    {
        using var trace = TraceGenerator.Generate(40_000, new TraceGeneratorOptions { Threads = 3, Seed = 3, Anomalies = TraceAnomalies.All });
        var stats = new Analyzer().ComputeFunctionStats(trace);
        var selection = TraceQuery.Filtering.EventFilter.Parse("depth>2 or kind:exception").Evaluate(trace);
        var selectedStats = new Analyzer().ComputeFunctionStats(trace, selection);
        var onePass = SpanExemplars.ForFunctions(trace, stats, null, ranges: 1);
        CollectionAssert.AreEqual(onePass, SpanExemplars.ForFunctions(trace, stats, null, ranges));
        CollectionAssert.AreEqual(SpanExemplars.ForFunctions(trace, selectedStats, selection, ranges: 1), SpanExemplars.ForFunctions(trace, selectedStats, selection, ranges));
        // Ties between ranges go to the earlier span: a function's exemplars are its first spans at those durations.
        for (int i = 0; i < stats.Count; i++)
        {
            var x = onePass[i]!.Value;
            int first = Enumerable.Range(0, trace.Spans.Count).First(s => trace.Spans.GetFunctionOrdinal(s) == stats[i].Ordinal && trace.Spans.GetDuration(s) == stats[i].MaxNs);
            Assert.AreEqual(first, x.Slowest, stats[i].Name);
        }
    }
}
