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
    public void ForFunctions_ThenEachFunctionsSpansOnly()
    {
        using var trace = TraceGenerator.Generate(4_000);
        int[] ordinals = [0, 3, 5];
        var all = SpanExemplars.ForFunctions(trace, ordinals);
        for (int i = 0; i < ordinals.Length; i++)
        {
            int[] spans = [.. Enumerable.Range(0, trace.Spans.Count).Where(s => trace.Spans.GetFunctionOrdinal(s) == ordinals[i])];
            Assert.AreEqual(SpanExemplars.Of(trace, spans), all[i]);
        }
    }
}
