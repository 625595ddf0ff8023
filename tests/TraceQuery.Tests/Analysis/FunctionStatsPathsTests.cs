using TraceQuery.Analysis;
using TraceQuery.Analysis.Internals;
using TraceQuery.Filtering;
using TraceQuery.Generation;
using TraceQuery.Model;

namespace TraceQuery.Tests.Analysis;

/// <summary>
/// The per-function percentiles three ways — buckets counted in the tally pass and only the wanted buckets gathered,
/// every duration scattered into per-function runs, and the per-span analysis — must equal each other bit for bit and
/// a sort-based <c>quantile_cont</c>, with and without a selection, on durations chosen to stress the buckets.
/// </summary>
[TestClass]
public sealed class FunctionStatsPathsTests
{
    private static readonly double[] Fractions = [0.5, 0.95, 0.99];

    [TestMethod]
    public void Percentiles_BucketedScatteredPerSpan_ThenEqualSortReference()
    {
        using var trace = BuildTrace();
        AssertPathsAgree(trace, null);
        var selection = EventFilter.Parse("thread:1 or fn:spread or fn:narrow").Evaluate(trace);
        AssertPathsAgree(trace, selection);
    }

    [TestMethod]
    public void Percentiles_GeneratedTraceWithSelection_ThenBucketedEqualsScattered()
    {
        using var trace = TraceGenerator.Generate(60_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.All, Seed = 11 });
        AssertPathsAgree(trace, null);
        AssertPathsAgree(trace, EventFilter.Parse("depth>2 or kind:exception").Evaluate(trace));
    }

    [TestMethod]
    public void Percentiles_TraceWithoutFunctions_ThenNoStatistics()
    {
        using var trace = new TraceBuilder().Build();
        Assert.AreEqual(0, new Analyzer().ComputeFunctionStats(trace).Count);
        Assert.AreEqual(0, SpanStatistics.Compute(trace, null, -1, CancellationToken.None, perSpan: false).ByOrdinal.Length);
    }

    private static void AssertPathsAgree(ExecutionTrace trace, Selection? selection)
    {
        var bucketed = SpanStatistics.Compute(trace, selection, -1, CancellationToken.None, perSpan: false).ByOrdinal;
        var scattered = SpanStatistics.Compute(trace, selection, 1, CancellationToken.None, perSpan: false, bucketedPercentiles: false).ByOrdinal;
        var perSpan = SpanStatistics.Compute(trace, selection, -1, CancellationToken.None).ByOrdinal;
        CollectionAssert.AreEqual(scattered, bucketed, "bucketed vs scattered");
        CollectionAssert.AreEqual(perSpan, bucketed, "bucketed vs per-span");

        var spans = trace.Spans;
        var included = new bool[spans.Count];
        if (selection is null)
            Array.Fill(included, true);
        else
        {
            foreach (int e in selection.Indices())
            {
                int s = spans.SpanOfEvent[e];
                if (s >= 0)
                    included[s] = true;
            }
        }
        var durations = spans.Durations.ToArray();
        int checkedFunctions = 0;
        foreach (var group in Enumerable.Range(0, spans.Count).Where(s => included[s]).GroupBy(s => spans.GetFunctionOrdinal(s)))
        {
            var f = bucketed[group.Key];
            Assert.IsNotNull(f);
            var sorted = group.Select(s => durations[s]).Order().ToArray();
            Assert.AreEqual(sorted.Length, f.Count, f.Name);
            Assert.AreEqual(sorted[0], f.MinNs, f.Name);
            Assert.AreEqual(sorted[^1], f.MaxNs, f.Name);
            Assert.AreEqual(QuantileCont(sorted, Fractions[0]), f.P50Ns, f.Name);
            Assert.AreEqual(QuantileCont(sorted, Fractions[1]), f.P95Ns, f.Name);
            Assert.AreEqual(QuantileCont(sorted, Fractions[2]), f.P99Ns, f.Name);
            checkedFunctions++;
        }
        Assert.AreEqual(bucketed.Count(f => f is not null), checkedFunctions);
    }

    /// <summary>DuckDB's quantile_cont over a sorted array, with the same arithmetic as the kernels.</summary>
    private static double QuantileCont(long[] sorted, double p)
    {
        double position = (double)(sorted.Length - 1) * p;
        int lo = (int)Math.Floor(position);
        if (position == lo)
            return sorted[lo];
        double d = position - lo;
        return ((double)sorted[lo] * (1.0 - d)) + ((double)sorted[(int)Math.Ceiling(position)] * d);
    }

    /// <summary>
    /// Sequential spans of five functions on two threads: all equal, zeros with a few huge ones, log-uniform from 1 ns to
    /// a second, a narrow band full of duplicates, and three spans only.
    /// </summary>
    private static ExecutionTrace BuildTrace()
    {
        var random = new Random(77);
        string[] names = ["constant", "zeros_huge", "spread", "narrow", "few"];
        var builder = new TraceBuilder();
        for (int i = 0; i < names.Length; i++)
            builder.AddSymbol(new SymbolInfo(0x1_0000_0001UL + (ulong)i, names[i]));
        var clock = new ulong[2];
        void Span(int function, uint thread, long duration)
        {
            ulong id = 0x1_0000_0001UL + (ulong)function;
            builder.Add(new TraceEvent(clock[thread], id, thread, EventKind.Call, 1));
            builder.Add(new TraceEvent(clock[thread] + (ulong)duration, id, thread, EventKind.Return, 1));
            clock[thread] += (ulong)duration + 1;
        }
        for (int i = 0; i < 20_000; i++)
        {
            uint thread = (uint)(i & 1);
            Span(0, thread, 500);
            Span(1, thread, i % 997 == 0 ? 1L << (30 + (i % 20)) : 0);
            Span(2, thread, (long)Math.Exp(random.NextDouble() * Math.Log(1e9)));
            Span(3, thread, 1_000 + random.Next(100));
            if (i < 3)
                Span(4, thread, 10 + i);
        }
        return builder.Build();
    }
}
