using System.Text;
using TraceQuery.Analysis;
using TraceQuery.Analysis.Internals;
using TraceQuery.Filtering;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Analysis;

[TestClass]
public sealed class AnalyzerTests
{
    private static readonly Analyzer Analyzer = new();

    private static FindingKind KindOf(string golden) => golden switch
    {
        "crash" => FindingKind.Crash,
        "hang" => FindingKind.Hang,
        "leak" => FindingKind.LeakImbalance,
        "outlier" => FindingKind.LatencyOutlier,
        _ => FindingKind.HotSpot,
    };

    [TestMethod]
    [DataRow("crash")]
    [DataRow("hang")]
    [DataRow("leak")]
    [DataRow("outlier")]
    [DataRow("hotloop")]
    public void Analyze_PlantedAnomaly_ThenItsDetectorNamesTheCulprit(string golden)
    {
        using var trace = GoldenTraces.Create(golden);
        var result = Analyzer.Analyze(trace);
        var kind = KindOf(golden);
        var finding = result.Findings.FirstOrDefault(f => f.Kind == kind);
        Assert.IsNotNull(finding, $"no {kind} finding in: {string.Join(" | ", result.Findings.Select(f => f.Title))}");
        Assert.AreEqual(GoldenTraces.CulpritOf(golden), trace.Symbols.GetName(finding.FunctionId!.Value));
        StringAssert.Contains(finding.Title, GoldenTraces.CulpritOf(golden));
        Assert.IsTrue(finding.Evidence.Count > 0);
        Assert.AreEqual(1, result.Findings.Count(f => f.Kind == kind), "one folded finding per culprit");
    }

    [TestMethod]
    public void Analyze_CleanTrace_ThenNoDetectorFires()
    {
        using var trace = GoldenTraces.Create("clean");
        var result = Analyzer.Analyze(trace);
        Assert.AreEqual(0, result.Findings.Count, string.Join(" | ", result.Findings.Select(f => f.Title)));
        Assert.AreEqual(trace.Spans.Count, result.SpansAnalyzed);
    }

    [TestMethod]
    public void Analyze_Crash_ThenCriticalFirstWithOpenStackAndEventsBefore()
    {
        using var trace = GoldenTraces.Create("crash");
        var result = Analyzer.Analyze(trace);
        var crash = result.Findings[0];
        Assert.AreEqual(FindingKind.Crash, crash.Kind);
        Assert.AreEqual(Severity.Critical, crash.Severity);
        var exception = crash.Evidence[0];
        Assert.AreEqual(EvidenceKind.Event, exception.Kind);
        Assert.IsTrue(trace.TryGetEventIndex(new EventRef(exception.Thread, (uint)exception.Value), out int index));
        Assert.AreEqual((byte)EventKind.Exception, trace.Kinds[index]);
        Assert.IsTrue(crash.Evidence.Count(e => e.Kind == EvidenceKind.Span) >= 2, "the open stack");
        Assert.IsTrue(crash.Evidence.Count(e => e.Kind == EvidenceKind.Event) >= 5, "the events before the crash");
        StringAssert.Contains(crash.Rationale, "parse_header");
        // The frames the crash left open are reported as unwound, not as a separate defect.
        Assert.IsTrue(result.Findings.Any(f => f.Kind == FindingKind.UnmatchedSpans && f.Title.Contains("unwound by an exception", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void FunctionStats_GeneratedTrace_ThenEqualSortBasedReference()
    {
        using var trace = TraceGenerator.Generate(30_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.All });
        var stats = Analyzer.ComputeFunctionStats(trace);
        var spans = trace.Spans;
        var durations = new long[spans.Count];
        spans.GetDurations(durations);
        var self = new long[spans.Count];
        spans.GetSelfTimes(durations, self);
        var groups = Enumerable.Range(0, spans.Count).GroupBy(s => trace.GetFunctionId(spans.StartEvents[s]));
        Assert.AreEqual(groups.Count(), stats.Count);
        foreach (var group in groups)
        {
            var f = stats.Single(x => x.FunctionId == group.Key);
            var sorted = group.Select(s => durations[s]).Order().ToArray();
            Assert.AreEqual(sorted.Length, f.Count);
            Assert.AreEqual(sorted.Sum(), f.TotalNs);
            Assert.AreEqual(group.Sum(s => self[s]), f.SelfTotalNs);
            Assert.AreEqual(sorted[0], f.MinNs);
            Assert.AreEqual(sorted[^1], f.MaxNs);
            Assert.AreEqual(Quantile(sorted, 0.5), f.P50Ns, 1e-6);
            Assert.AreEqual(Quantile(sorted, 0.95), f.P95Ns, 1e-6);
            Assert.AreEqual(Quantile(sorted, 0.99), f.P99Ns, 1e-6);
        }
        CollectionAssert.AreEqual(stats.Select(s => s.FunctionId).Order().ToList(), stats.Select(s => s.FunctionId).ToList());
    }

    [TestMethod]
    public void Analyze_WithSelection_ThenOnlyTouchedSpansCount()
    {
        using var trace = GoldenTraces.Create("leak");
        var selection = EventFilter.FromNode(new NameTerm(NameField.Function, NamePatternKind.Glob, "buffer_*")).Evaluate(trace);
        var result = Analyzer.Analyze(trace, selection);
        CollectionAssert.AreEquivalent(new[] { "buffer_alloc", "buffer_free" }, result.Functions.Select(f => f.Name).ToArray());
        Assert.IsTrue(result.Findings.Any(f => f.Kind == FindingKind.LeakImbalance));
        Assert.IsTrue(result.SpansAnalyzed < result.TotalSpans);
    }

    [TestMethod]
    public void TopFunctions_ByEachMetric_ThenOrderedDescendingWithIdTieBreak()
    {
        using var trace = GoldenTraces.Create("hotloop");
        var stats = Analyzer.ComputeFunctionStats(trace);
        Assert.AreEqual("checksum_block", Analyzer.TopFunctions(stats, FunctionMetric.Count, 1)[0].Name);
        foreach (var metric in Enum.GetValues<FunctionMetric>())
        {
            var top = Analyzer.TopFunctions(stats, metric, 5);
            Assert.AreEqual(5, top.Count);
        }
        var bySelf = Analyzer.TopFunctions(stats, FunctionMetric.Self, stats.Count);
        for (int i = 1; i < bySelf.Count; i++)
            Assert.IsTrue(bySelf[i - 1].SelfTotalNs >= bySelf[i].SelfTotalNs);
    }

    [TestMethod]
    public void Analyze_ParallelAndSingleThreaded_ThenIdenticalResults()
    {
        using var trace = TraceGenerator.Generate(1_200_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.All, Seed = 5 });
        var parallel = new Analyzer().Analyze(trace);
        var single = new Analyzer(options: new AnalyzerOptions { MaxDegreeOfParallelism = 1 }).Analyze(trace);
        CollectionAssert.AreEqual(single.Functions.ToList(), parallel.Functions.ToList());
        Assert.AreEqual(Render(single), Render(parallel));

        // Statistics alone take the chunked path (several chunks at this size); they equal the analysis's, with
        // and without a selection, at any degree of parallelism.
        var fast = new Analyzer().ComputeFunctionStats(trace);
        CollectionAssert.AreEqual(single.Functions.OrderBy(f => f.FunctionId).ToList(), fast.ToList());
        var selection = EventFilter.Parse("depth>2 or kind:exception").Evaluate(trace);
        var selectedFast = new Analyzer(options: new AnalyzerOptions { MaxDegreeOfParallelism = 1 }).ComputeFunctionStats(trace, selection);
        var selectedParallel = new Analyzer().ComputeFunctionStats(trace, selection);
        CollectionAssert.AreEqual(selectedFast.ToList(), selectedParallel.ToList());
        CollectionAssert.AreEqual(new Analyzer().Analyze(trace, selection).Functions.OrderBy(f => f.FunctionId).ToList(), selectedFast.ToList());
        Assert.IsLessThan(fast.Sum(f => f.Count), selectedFast.Sum(f => f.Count));
    }

    [TestMethod]
    [DataRow(1, false)]
    [DataRow(-1, false)]
    [DataRow(-1, true)]
    public void SpanStatistics_ThreadsInParallel_ThenPerSpanArraysEqualTheSequentialReference(int parallelism, bool selected)
    {
        using var trace = TraceGenerator.Generate(200_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.All, Seed = 11, Threads = 4 });
        var selection = selected ? EventFilter.Parse("depth>2 or kind:exception").Evaluate(trace) : null;
        var stats = SpanStatistics.Compute(trace, selection, parallelism, CancellationToken.None);
        var spans = trace.Spans;
        var durations = new long[spans.Count];
        spans.GetDurations(durations);
        var self = new long[spans.Count];
        spans.GetSelfTimes(durations, self);
        CollectionAssert.AreEqual(self, stats.SelfTimes);

        // Each function's group: its included spans in ascending span id, with their self times alongside.
        var included = new bool[spans.Count];
        if (selection is null)
            Array.Fill(included, true);
        else
        {
            foreach (int e in selection.Indices())
            {
                if (spans.SpanOfEvent[e] is >= 0 and var s)
                    included[s] = true;
            }
        }
        int total = 0;
        for (int f = 0; f < trace.FunctionIds.Length; f++)
        {
            var expected = Enumerable.Range(0, spans.Count).Where(s => included[s] && spans.GetFunctionOrdinal(s) == f).ToArray();
            CollectionAssert.AreEqual(expected, stats.Group(f).ToArray(), $"group of ordinal {f}");
            CollectionAssert.AreEqual(expected.Select(s => self[s]).ToArray(), stats.GroupSelfTimes(f).ToArray(), $"self times of ordinal {f}");
            Assert.AreEqual(expected.Length, stats.ByOrdinal[f]?.Count ?? 0);
            total += expected.Length;
        }
        Assert.AreEqual(total, stats.IncludedCount);
        Assert.AreEqual(selected, total < spans.Count);
    }

    [TestMethod]
    public void Analyze_SameTraceTwice_ThenIdenticalFindings()
    {
        using var a = GoldenTraces.Create("crash");
        using var b = GoldenTraces.Create("crash");
        Assert.AreEqual(Render(Analyzer.Analyze(a)), Render(Analyzer.Analyze(b)));
    }

    [TestMethod]
    [DynamicData(nameof(GoldenTraces.Names), typeof(GoldenTraces))]
    public void Analyze_GoldenTrace_ThenFindingsMatchSnapshot(string golden)
    {
        using var trace = GoldenTraces.Create(golden);
        Snapshot.Verify(Render(Analyzer.Analyze(trace)), golden);
    }

    [TestMethod]
    public void SplitIdentifier_Styles_ThenLowerCaseParts()
    {
        CollectionAssert.AreEqual(new[] { "buffer", "alloc" }, TraceQuery.Text.IdentifierWords.Split("buffer_alloc"));
        CollectionAssert.AreEqual(new[] { "pool", "acquire", "conn" }, TraceQuery.Text.IdentifierWords.Split("Pool::acquireConn"));
        CollectionAssert.AreEqual(new[] { "http", "connect" }, TraceQuery.Text.IdentifierWords.Split("HTTPConnect"));
    }

    internal static string Render(AnalysisResult result)
    {
        var text = new StringBuilder();
        text.Append("spans analysed: ").Append(result.SpansAnalyzed).Append(" of ").Append(result.TotalSpans).Append('\n');
        foreach (var f in result.Findings)
        {
            text.Append('[').Append(f.Severity).Append("] ").Append(f.Kind).Append(": ").Append(f.Title).Append('\n');
            text.Append("  ").Append(f.Rationale).Append('\n');
            text.Append("  evidence: ").Append(string.Join(' ', f.Evidence)).Append('\n');
        }
        return text.ToString();
    }

    private static double Quantile(long[] sorted, double p)
    {
        double position = p * (sorted.Length - 1);
        int lo = (int)Math.Floor(position);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (position - lo));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void SpanStatistics_OutlierReferences_ThenEqualPercentilesOfTheGroupsValues(bool selected)
    {
        using var trace = TraceGenerator.Generate(120_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.All, Seed = 5, Threads = 3 });
        var selection = selected ? EventFilter.Parse("depth>2 or kind:exception").Evaluate(trace) : null;
        var stats = SpanStatistics.Compute(trace, selection, -1, CancellationToken.None);
        int selfReferences = 0;
        foreach (var f in stats.ByOrdinal)
        {
            if (f is null)
                continue;
            double upper = Math.Min(0.99, (f.Count - 2.0) / (f.Count - 1.0));
            // Self times: the reference exists exactly for functions with traced children (and at least two calls).
            bool hasSelf = stats.TryGetOutlierReference(f.Ordinal, onSelf: true, upper, out double selfP50, out double selfHigh);
            Assert.AreEqual(f.Count >= 2 && f.SelfTotalNs != f.TotalNs, hasSelf, f.Name);
            if (hasSelf)
            {
                long[] self = [.. stats.GroupSelfTimes(f.Ordinal).ToArray().Order()];
                Assert.AreEqual(Quantile(self, 0.5), selfP50, Math.Abs(selfP50) * 1e-12, f.Name);
                Assert.AreEqual(Quantile(self, upper), selfHigh, Math.Abs(selfHigh) * 1e-12, f.Name);
                selfReferences++;
            }
            // Durations: only small groups (fewer than 100 calls) need another upper fraction than the p99.
            bool hasDuration = stats.TryGetOutlierReference(f.Ordinal, onSelf: false, upper, out double p50, out double high);
            Assert.AreEqual(f.Count >= 2 && upper != 0.99, hasDuration, f.Name);
            if (hasDuration)
            {
                long[] durations = [.. stats.Group(f.Ordinal).ToArray().Select(s => trace.Spans.GetDuration(s)).Order()];
                Assert.AreEqual(Quantile(durations, 0.5), p50, Math.Abs(p50) * 1e-12, f.Name);
                Assert.AreEqual(Quantile(durations, upper), high, Math.Abs(high) * 1e-12, f.Name);
            }
            Assert.IsFalse(stats.TryGetOutlierReference(f.Ordinal, onSelf: true, upper / 2, out _, out _), "another fraction is not served");
        }
        Assert.IsGreaterThan(0, selfReferences);
    }
}
