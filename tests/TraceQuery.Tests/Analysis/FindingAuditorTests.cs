using System.Text.Json;
using TraceQuery.Analysis;
using TraceQuery.Formats;
using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.NetTrace;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Analysis;

/// <summary>
/// Issue 21 items 1, 3 and 4: every number a finding prints holds when recomputed from the trace (<see cref="FindingAuditor"/>)
/// on every real trace, every original-writer session and the generator's traces; long calls, envelopes and outliers
/// are told apart on synthetic traces built for each case.
/// </summary>
[TestClass]
public sealed class FindingAuditorTests
{
    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Sources
    {
        get
        {
            var sources = new List<object[]>();
            string expected = Path.Combine(TestPaths.RealTraces, "expected.json");
            if (File.Exists(expected))
            {
                using var facts = JsonDocument.Parse(File.ReadAllBytes(expected));
                sources.AddRange(facts.RootElement.GetProperty("files").EnumerateObject().Select(p => new object[] { "real:" + p.Name }));
            }
            else
            {
                sources.Add(["real:(real-traces folder missing)"]);
            }
            sources.AddRange(new[] { "finalized", "crash-at-stop", "killed-while-tracing" }.Select(s => new object[] { "atf:" + s }));
            foreach (string dir in Directory.GetDirectories(Path.Combine(TestPaths.RepositoryRoot, "samples")).Order(StringComparer.Ordinal))
                sources.Add(["sample:" + Path.GetFileName(dir)]);
            foreach (string folder in new[] { "nettrace", "cpuprofile", "perfetto", "chrome", "otlp" })
            {
                foreach (string file in Directory.GetFiles(Path.Combine(TestPaths.Fixtures, folder)).Order(StringComparer.Ordinal))
                {
                    if (Path.GetExtension(file) is ".nettrace" or ".cpuprofile" or ".gz" or ".json" or ".jsonl" && !file.EndsWith("facts.json", StringComparison.Ordinal))
                        sources.Add(["fixture:" + folder + "/" + Path.GetFileName(file)]);
                }
            }
            string sharedPerfetto = Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "fixtures", "perfetto"));
            if (Directory.Exists(sharedPerfetto))
            {
                foreach (string file in Directory.GetFiles(sharedPerfetto, "*.pftrace").Order(StringComparer.Ordinal))
                    sources.Add(["shared-perfetto:" + Path.GetFileName(file)]);
            }
            sources.AddRange(GoldenTraces.Names.Select(n => new object[] { "generated:" + n[0] }));
            sources.Add(["generated:all"]);
            return sources;
        }
    }

    private static ExecutionTrace Open(string source)
    {
        string name = source[(source.IndexOf(':') + 1)..];
        return source[..source.IndexOf(':')] switch
        {
            "real" => TraceFile.Open(Path.Combine(TestPaths.RealTraces, name)),
            "atf" => AtfReader.Open(Path.Combine(TestPaths.OriginalWriterSessionsRoot, name)),
            "sample" => AtfReader.Open(Path.Combine(TestPaths.RepositoryRoot, "samples", name)),
            "fixture" when name.EndsWith(".nettrace", StringComparison.Ordinal) => NetTraceFile.Open(Path.Combine(TestPaths.Fixtures, name)),
            "fixture" => TraceFile.Open(Path.Combine(TestPaths.Fixtures, name)),
            "shared-perfetto" => TraceFile.Open(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "fixtures", "perfetto", name)),
            _ when name == "all" => TraceGenerator.Generate(60_000, new TraceGeneratorOptions { Threads = 4, Seed = 7, Anomalies = TraceAnomalies.All }),
            _ => GoldenTraces.Create(name),
        };
    }

    [TestMethod]
    [DynamicData(nameof(Sources))]
    public void Analyze_EveryTrace_ThenEveryPrintedFigureRecomputesFromTheTrace(string source)
    {
        using var trace = Open(source);
        var analysis = new Analyzer().Analyze(trace);
        foreach (var f in analysis.Findings)
            TestContext.WriteLine(NarrativeBuilder.Render(f));
        var failures = FindingAuditor.Audit(trace, analysis.Findings);
        Assert.AreEqual("", string.Join("\n", failures));
        foreach (var finding in analysis.Findings)
            Assert.IsTrue(finding.Figures.Count > 0, $"{finding.Title}: prints no figure");
    }

    [TestMethod]
    public void Audit_FindingThatDoesNotAddUp_ThenEveryKindOfFaultIsReported()
    {
        using var trace = GoldenTraces.Create("outlier");
        var finding = new Analyzer().Analyze(trace).Findings.First(f => f.Kind == FindingKind.LatencyOutlier);
        Assert.AreEqual(0, FindingAuditor.Audit(trace, [finding]).Count);

        // A count one off: the recomputation disagrees.
        var figures = finding.Figures.ToList();
        int calls = figures.FindIndex(f => f.Basis == FigureBasis.Calls);
        figures[calls] = figures[calls] with { Value = figures[calls].Value + 1, Text = FindingAuditor.Render(FigureMeasure.Count, figures[calls].Value + 1) };
        StringAssert.Contains(string.Join("\n", FindingAuditor.Audit(trace, [finding with { Figures = figures }])), "recomputed");

        // A ratio of a duration over a self time, and one over a 0 base.
        var mixed = new FindingFigure("d", FigureMeasure.Duration, FigureBasis.Setting, 20, "20 ns");
        var selfTime = new FindingFigure("s", FigureMeasure.SelfTime, FigureBasis.Setting, 0, "0 ns");
        var ratio = new FindingFigure("r", FigureMeasure.Ratio, FigureBasis.Quotient, 1, "1×") { Left = 0, Right = 1 };
        var bad = finding with { Title = "x", Rationale = "20 ns over 0 ns in itself is 1×", Figures = [mixed, selfTime, ratio] };
        string report = string.Join("\n", FindingAuditor.Audit(trace, [bad]));
        StringAssert.Contains(report, "a ratio of a Duration over a SelfTime");
        StringAssert.Contains(report, "a ratio over a 0 base");
        var sum = new FindingFigure("t", FigureMeasure.Duration, FigureBasis.Sum, 20, "20 ns") { Left = 0, Right = 1 };
        StringAssert.Contains(string.Join("\n", FindingAuditor.Audit(trace, [bad with { Rationale = "20 ns and 0 ns in itself", Figures = [mixed, selfTime, sum] }])),
            "a Sum of a Duration and a SelfTime as a Duration");

        // A number no figure accounts for, and a self time not called one.
        var unexplained = finding with { Rationale = finding.Rationale + " It ran 42 times." };
        StringAssert.Contains(string.Join("\n", FindingAuditor.Audit(trace, [unexplained])), "numbers no figure accounts for: 42");
        var self = new FindingFigure("s", FigureMeasure.SelfTime, FigureBasis.SpanSelfTime, trace.Spans.Durations[0], FindingAuditor.Render(FigureMeasure.SelfTime, trace.Spans.Durations[0]))
        { Subject = EvidenceRef.ForSpan(0) };
        var unlabelled = finding with { Title = "x", Rationale = $"The call took {self.Text}.", Figures = [self] };
        if (trace.Spans.Parents.IndexOf(0) < 0) // span 0 has no child: its self time is its duration
            StringAssert.Contains(string.Join("\n", FindingAuditor.Audit(trace, [unlabelled])), "does not say self time");
    }

    /// <summary>
    /// A copy of <paramref name="finding"/> with figure <paramref name="name"/> off (a count one more, a time 10% more; text
    /// re-rendered), so that only the recomputation can catch it.
    /// </summary>
    private static Finding OneOff(Finding finding, string name)
    {
        var figures = finding.Figures.ToList();
        int i = figures.FindIndex(f => f.Name == name);
        Assert.IsTrue(i >= 0, $"{finding.Title}: no figure '{name}' in {string.Join(", ", figures.Select(f => f.Name))}");
        var figure = figures[i];
        double off = figure.Measure is FigureMeasure.Count or FigureMeasure.Depth or FigureMeasure.Bytes ? figure.Value + 1 : (figure.Value * 1.1) + 1_000;
        figures[i] = figure with { Value = off, Text = FindingAuditor.Render(figure.Measure, off) };
        return finding with { Figures = figures };
    }

    [TestMethod]
    public void Audit_CrashFiguresOfAKilledWriter_ThenRecomputedFromTheThreadsFiles()
    {
        using var trace = AtfReader.Open(Path.Combine(TestPaths.OriginalWriterSessionsRoot, "crash-at-stop"));
        var crash = new Analyzer().Analyze(trace).Findings.Single(f => f.Kind == FindingKind.Crash);
        Assert.AreEqual(0, FindingAuditor.Audit(trace, [crash]).Count, string.Join("\n", FindingAuditor.Audit(trace, [crash])));

        // The fixture's ground truth (README: 2,046 events on disk, 40 bytes of a cut record after 106, 3 dangling links; 2 open frames).
        double Figure(string name) => crash.Figures.Single(f => f.Name == name).Value;
        Assert.AreEqual(2_046d, Figure("events recovered"));
        Assert.AreEqual(40d, Figure("detail bytes ignored"));
        Assert.AreEqual(3d, Figure("detail links dropped"));
        Assert.AreEqual(2d, Figure("open frames"));
        foreach (string name in new[] { "events recovered", "detail bytes ignored", "detail links dropped", "open frames", "stops at", "last exception" })
            StringAssert.Contains(string.Join("\n", FindingAuditor.Audit(trace, [OneOff(crash, name)])), "recomputed", name);
    }

    [TestMethod]
    public void Audit_ErrorAndSampledFindingsOneOff_ThenReported()
    {
        using var errors = TraceFile.Open(Path.Combine(TestPaths.Fixtures, "chrome", "errors.json"));
        var error = new Analyzer().Analyze(errors).Findings.First(f => f.Kind == FindingKind.Error);
        Assert.AreEqual(1d, error.Figures.Single(f => f.Name == "spans").Value);
        StringAssert.Contains(string.Join("\n", FindingAuditor.Audit(errors, [OneOff(error, "spans")])), "recomputed");

        using var profile = TraceFile.Open(Path.Combine(TestPaths.Fixtures, "cpuprofile", "node20-json-parse.cpuprofile"));
        var sampled = new Analyzer().Analyze(profile).Findings.Where(f => f.Kind == FindingKind.SampledHotSpot).ToList();
        Assert.IsTrue(sampled.Count > 0);
        Assert.AreEqual(0, FindingAuditor.Audit(profile, sampled).Count, string.Join("\n", FindingAuditor.Audit(profile, sampled)));
        foreach (string name in new[] { "sampled CPU", "self", "self samples", "total samples", "total", "heaviest path" })
            StringAssert.Contains(string.Join("\n", FindingAuditor.Audit(profile, [OneOff(sampled[0], name)])), "recomputed", name);
    }

    [TestMethod]
    public void Analyze_HotSpot_ThenSelfTimeIsTheHotListsFigure()
    {
        using var trace = GoldenTraces.Create("hotloop");
        var analysis = new Analyzer().Analyze(trace);
        var hot = analysis.Findings.First(f => f.Kind == FindingKind.HotSpot);
        var stats = analysis.Functions.First(f => f.FunctionId == hot.FunctionId);
        var self = hot.Figures.First(f => f.Basis == FigureBasis.Total && f.Subject is not null);
        Assert.AreEqual((double)stats.SelfTotalNs, self.Value);
        StringAssert.Contains(hot.Rationale, TraceQuery.Text.TraceText.Duration(stats.SelfTotalNs));
    }

    // ---- Item 3: long calls, envelopes and aggregates ----

    private const ulong Root = 0x0000_0001_0000_0001, Work = 0x0000_0001_0000_0002, Leaf = 0x0000_0001_0000_0003, Wrapper = 0x0000_0001_0000_0004, Stage = 0x0000_0001_0000_0005;

    private static TraceBuilder NewBuilder()
    {
        var builder = new TraceBuilder();
        builder.AddModule(new ModuleInfo(1, "/app/bin"));
        foreach (var (id, name) in new[] { (Root, "main"), (Work, "compute"), (Leaf, "leaf"), (Wrapper, "wrapper"), (Stage, "request") })
            builder.AddSymbol(new SymbolInfo(id, name));
        builder.AddThread(1);
        return builder;
    }

    private static ulong _spanIds;

    private static void Span(TraceBuilder builder, ulong fn, ulong start, ulong end, ulong parent = 0, SpanMarks marks = SpanMarks.None, uint thread = 1, ulong id = 0) =>
        builder.AddSpan(new SpanRecord { SpanId = id == 0 ? ++_spanIds + 1000 : id, ParentSpanId = parent, ThreadId = thread, FunctionId = fn, StartNs = start, EndNs = end, Marks = marks });

    [TestMethod]
    public void Analyze_RootWhoseChildrenDoTheWork_ThenNoHang()
    {
        var builder = NewBuilder();
        Span(builder, Root, 0, 10_000_000_000, id: 1);
        for (ulong i = 0; i < 10; i++)
            Span(builder, Work, 1 + (i * 1_000_000_000), (i + 1) * 999_000_000, parent: 1);
        using var trace = builder.Build();
        var findings = new Analyzer().Analyze(trace).Findings;
        Assert.AreEqual(0, findings.Count(f => f.Kind == FindingKind.Hang), string.Join("\n", findings.Select(f => f.Title)));
        Assert.AreEqual(0, FindingAuditor.Audit(trace, findings).Count, string.Join("\n", FindingAuditor.Audit(trace, findings)));
    }

    [TestMethod]
    public void Analyze_CallWhoseOwnTimeDominates_ThenLongCallSaysWhatTheTraceCannotTell()
    {
        var builder = NewBuilder();
        Span(builder, Root, 0, 3_000_000_000, id: 1);
        Span(builder, Work, 100_000_000, 2_210_000_000, parent: 1, id: 2);
        using var trace = builder.Build();
        var findings = new Analyzer().Analyze(trace).Findings;
        var hang = findings.Single(f => f.Kind == FindingKind.Hang);
        Assert.AreEqual(Work, hang.FunctionId);
        StringAssert.Contains(hang.Title, "one call 2.11 s");
        StringAssert.Contains(hang.Title, "all of it in the function itself");
        StringAssert.Contains(hang.Rationale, "The trace cannot tell CPU work from waiting.");
        Assert.AreEqual(0, FindingAuditor.Audit(trace, findings).Count, string.Join("\n", FindingAuditor.Audit(trace, findings)));
    }

    [TestMethod]
    public void Analyze_EnvelopeAndAggregateSpans_ThenNeverHangsNorHotSpots()
    {
        var builder = NewBuilder();
        Span(builder, Root, 0, 10_000_000_000, marks: SpanMarks.Envelope, id: 1);
        Span(builder, Work, 0, 9_000_000_000, marks: SpanMarks.Aggregate, thread: 2, id: 2);
        Span(builder, Leaf, 1_000, 2_000, parent: 1, id: 3);
        using var trace = builder.Build();
        var findings = new Analyzer().Analyze(trace).Findings;
        Assert.AreEqual(0, findings.Count(f => f.Kind is FindingKind.Hang or FindingKind.HotSpot && f.FunctionId is Root or Work),
            string.Join("\n", findings.Select(f => f.Title)));
    }

    // ---- Item 4: outliers on the right scale ----

    [TestMethod]
    public void Analyze_OneSlowCallAmongManyFastOnes_ThenItOutranksABimodalWrapper()
    {
        var builder = NewBuilder();
        ulong t = 0;
        ulong id = 10;
        // 30,000 leaf calls of ~2 µs, one of 2 ms.
        for (int i = 0; i < 30_000; i++)
        {
            ulong d = i == 15_000 ? 2_000_000UL : 2_000 + (ulong)(i % 7 * 10);
            Span(builder, Leaf, t, t + d, id: ++id);
            t += d + 100;
        }
        // A wrapper: 90% of calls wrap a child (self ~200 ns), 10% are leaves of 225 µs: bimodal, not anomalous.
        for (int i = 0; i < 2_000; i++)
        {
            ulong wrapper = ++id;
            if (i % 10 == 0)
            {
                Span(builder, Wrapper, t, t + 225_000 + (ulong)(i % 3), id: wrapper);
                t += 226_000;
            }
            else
            {
                Span(builder, Wrapper, t, t + 5_200, id: wrapper);
                Span(builder, Work, t + 100, t + 5_100, parent: wrapper, id: ++id);
                t += 6_000;
            }
        }
        using var trace = builder.Build();
        var findings = new Analyzer().Analyze(trace).Findings;
        var outliers = findings.Where(f => f.Kind == FindingKind.LatencyOutlier).ToList();
        Assert.IsTrue(outliers.Count >= 1, string.Join("\n", findings.Select(f => f.Title)));
        Assert.AreEqual(Leaf, outliers[0].FunctionId, string.Join("\n", outliers.Select(f => f.Title)));
        Assert.IsFalse(outliers.Any(f => f.FunctionId == Wrapper), string.Join("\n", outliers.Select(f => f.Title)));
        var slowest = outliers[0].Figures.Single(f => f.Name == "slowest");
        Assert.AreEqual(2_000_000d, slowest.Value);
        Assert.AreEqual(FigureMeasure.Duration, slowest.Measure);
        Assert.AreEqual(0, FindingAuditor.Audit(trace, findings).Count, string.Join("\n", FindingAuditor.Audit(trace, findings)));
    }

    [TestMethod]
    public void Analyze_ZeroMedianAndSubMicrosecondNoise_ThenNoRatioAndNoFinding()
    {
        var builder = NewBuilder();
        ulong t = 0, id = 10;
        // Mostly 0 ns calls: one 5 µs call (noise under the floor) and one 50 µs call (an outlier, but no ratio over 0 ns).
        for (int i = 0; i < 100; i++)
        {
            ulong d = i == 10 ? 5_000UL : i == 20 ? 50_000UL : 0;
            Span(builder, Leaf, t, t + d, id: ++id);
            t += d + 1_000;
        }
        for (int i = 0; i < 100; i++)
        {
            ulong d = 1_000 + (ulong)(i == 50 ? 900 : 0); // sub-µs excess only
            Span(builder, Work, t, t + d, id: ++id);
            t += d + 1_000;
        }
        using var trace = builder.Build();
        var findings = new Analyzer().Analyze(trace).Findings;
        Assert.AreEqual(0, findings.Count(f => f.FunctionId == Work && f.Kind == FindingKind.LatencyOutlier));
        var leaf = findings.Single(f => f.FunctionId == Leaf && f.Kind == FindingKind.LatencyOutlier);
        Assert.AreEqual(1d, leaf.Figures.Single(f => f.Name == "outliers").Value);
        Assert.IsFalse(leaf.Figures.Any(f => f.Measure == FigureMeasure.Ratio && f.Basis == FigureBasis.Quotient));
        Assert.IsFalse(leaf.Rationale.Contains("50.0 µs (", StringComparison.Ordinal), leaf.Rationale); // no "(…× the p50)" after the slowest
        Assert.AreEqual(0, FindingAuditor.Audit(trace, findings).Count, string.Join("\n", FindingAuditor.Audit(trace, findings)));
    }

    [TestMethod]
    public void Analyze_SlowAsyncStage_ThenLatencyStageNotCpu()
    {
        var builder = NewBuilder();
        builder.AddThread(new ThreadInfo { ThreadId = 7, Name = "requests", Track = SpanTrack.Async });
        ulong t = 0, id = 10;
        for (int i = 0; i < 50; i++)
        {
            ulong d = i == 25 ? 80_000_000UL : 1_000_000UL + (ulong)i;
            Span(builder, Stage, t, t + d, thread: 7, id: ++id);
            t += d + 10;
        }
        using var trace = builder.Build();
        var findings = new Analyzer().Analyze(trace).Findings;
        var stage = findings.Single(f => f.FunctionId == Stage && f.Kind != FindingKind.UnmatchedSpans);
        Assert.AreEqual(FindingKind.LatencyStage, stage.Kind);
        StringAssert.Contains(stage.Title, "Latency stage request");
        StringAssert.Contains(stage.Rationale, "not CPU work");
        Assert.IsFalse(findings.Any(f => f.FunctionId == Stage && f.Kind is FindingKind.Hang or FindingKind.HotSpot));
        Assert.AreEqual(0, FindingAuditor.Audit(trace, findings).Count, string.Join("\n", FindingAuditor.Audit(trace, findings)));
    }
}
