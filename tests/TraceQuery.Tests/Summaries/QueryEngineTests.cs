using TraceQuery.Analysis;
using TraceQuery.Filtering;
using TraceQuery.Generation;
using TraceQuery.Summaries;
using TraceQuery.Tests.Analysis;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Text;

namespace TraceQuery.Tests.Summaries;

[TestClass]
public sealed class QueryEngineTests
{
    private static readonly TokenCounter Gpt4 = new("gpt-4");
    private static readonly TokenCounter Gpt4o = new("gpt-4o");

    [TestMethod]
    public void QueryEngine_WithAnalyzer_FullPipeline_ThenSummarizes()
    {
        // The seed's integration scenario.
        var counter = new TokenCounter(model: "gpt-4");
        var analyzer = new Analyzer();
        var engine = new QueryEngine(analyzer: analyzer, tokenCounter: counter);
        using var events = TraceGenerator.Generate(10_000);
        var result = engine.Process(events: events, tokenBudget: 4096);

        Assert.IsTrue(result.TokenCount <= 4096);
        Assert.AreNotEqual("", result.Summary);
        Assert.AreEqual(10_000, result.EventsProcessed);
        Assert.AreEqual(counter.CountTokens(result.Summary), result.TokenCount);
        Assert.AreEqual("gpt-4", result.Model);
    }

    [TestMethod]
    public void Process_RandomTracesFiltersAndBudgets_ThenExactCountWithinBudgetAndWellUsed()
    {
        string[] filters = ["", "error", "kind:exception", "fn:parse_* or fn:*_block", "depth>2 and not kind:call", "module:libstore.so", "duration>10us", "thread:0,2 time:..1ms", "buffer"];
        var random = new Random(1126);
        foreach (var counter in new[] { Gpt4, Gpt4o })
        {
            var engine = new QueryEngine(tokenCounter: counter);
            for (int round = 0; round < 24; round++)
            {
                using var trace = TraceGenerator.Generate(random.Next(0, 6_000), new TraceGeneratorOptions
                {
                    Seed = random.Next(),
                    Threads = random.Next(1, 5),
                    Anomalies = random.Next(2) == 0 ? TraceAnomalies.None : (TraceAnomalies)random.Next(1, 32),
                });
                string filter = filters[random.Next(filters.Length)];
                int budget = random.Next(4) switch
                {
                    0 => random.Next(100, 300),
                    1 => random.Next(300, 2_000),
                    2 => random.Next(2_000, 20_000),
                    _ => random.Next(20_000, 100_001),
                };
                QueryResult result;
                try
                {
                    result = engine.Process(trace, budget, filter);
                }
                catch (ArgumentOutOfRangeException e) when (e.ParamName == "tokenBudget")
                {
                    StringAssert.Contains(e.Message, "below the minimum");
                    continue;
                }
                string at = $"{counter.Model} round {round}, budget {budget}, filter '{filter}'";
                Assert.AreEqual(counter.CountTokens(result.Summary), result.TokenCount, at);
                Assert.IsTrue(result.TokenCount <= budget, at);
                if (result.DidTruncate)
                {
                    Assert.IsTrue(result.TokenCount >= budget * 0.9, $"{at}: used {result.TokenCount}\n{result.Summary}");
                    Assert.IsNotNull(result.NextCursor);
                }
            }
        }
    }

    [TestMethod]
    [DataRow("crash", "crash")]
    [DataRow("hang", "hang")]
    [DataRow("leak", "imbalance")]
    [DataRow("outlier", "slowest")]
    [DataRow("hotloop", "hot spot")]
    public void Process_GoldenTraceAt256_ThenNamesCulpritAndAnomaly(string golden, string anomalyWord)
    {
        using var trace = GoldenTraces.Create(golden);
        var engine = new QueryEngine(tokenCounter: Gpt4o);
        var small = engine.Process(trace, 256);
        StringAssert.Contains(small.Summary, GoldenTraces.CulpritOf(golden));
        StringAssert.Contains(small.Summary.ToLowerInvariant(), anomalyWord);

        var large = engine.Process(trace, 4_096);
        var finding = large.Findings.First(f => f.Title.Contains(GoldenTraces.CulpritOf(golden), StringComparison.Ordinal));
        foreach (var reference in finding.Evidence)
            StringAssert.Contains(large.Summary, reference.ToString());
    }

    [TestMethod]
    public void Process_CleanTrace_ThenReportsNoAnomaly()
    {
        using var trace = GoldenTraces.Create("clean");
        var result = new QueryEngine(tokenCounter: Gpt4o).Process(trace, 512);
        StringAssert.Contains(result.Summary, "no anomalies found");
        Assert.AreEqual(0, result.Findings.Count);
    }

    [TestMethod]
    [DynamicData(nameof(GoldenTraces.Names), typeof(GoldenTraces))]
    public void Process_GoldenTrace_ThenSummariesAt128_512_4096MatchSnapshots(string golden)
    {
        using var trace = GoldenTraces.Create(golden);
        var engine = new QueryEngine(tokenCounter: Gpt4o);
        var text = new System.Text.StringBuilder();
        foreach (int budget in new[] { 128, 512, 4_096 })
        {
            var result = engine.Process(trace, budget);
            text.Append("===== budget ").Append(budget).Append(": ").Append(result.TokenCount).Append(" tokens, truncated ")
                .Append(result.DidTruncate).Append(" =====\n").Append(result.Summary);
        }
        Snapshot.Verify(text.ToString(), golden);
    }

    [TestMethod]
    public void Process_WalkingAllPages_ThenEveryFindingAndEventExactlyOnce()
    {
        using var trace = TraceGenerator.Generate(3_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.All, Seed = 9 });
        var engine = new QueryEngine(tokenCounter: Gpt4o);
        const string Filter = "kind:exception or fn:buffer_* or depth>5";
        int expectedEvents = EventFilter.Parse(Filter).Evaluate(trace).Count;
        var seenEvents = new List<string>();
        var seenFindings = new List<string>();
        string? cursor = null;
        int pages = 0;
        QueryResult first = null!;
        do
        {
            var result = engine.Process(trace, 300, Filter, cursor: cursor);
            first ??= result;
            Assert.IsTrue(result.TokenCount <= 300);
            foreach (string line in result.Summary.Split('\n'))
            {
                if (line.EndsWith(" …[cut]", StringComparison.Ordinal))
                    continue; // a preview; the full line comes on the next page
                if (line.StartsWith("- +", StringComparison.Ordinal))
                    seenEvents.Add(line.Split(' ').First(w => w.StartsWith("event:", StringComparison.Ordinal)));
                else if (line.StartsWith("- [", StringComparison.Ordinal))
                    seenFindings.Add(line[..line.IndexOf('.', StringComparison.Ordinal)]);
            }
            cursor = result.NextCursor;
            pages++;
            Assert.IsTrue(pages < 2_000, "paging must end");
        }
        while (cursor is not null);

        Assert.IsTrue(pages > 3);
        Assert.AreEqual(expectedEvents, seenEvents.Count);
        Assert.AreEqual(expectedEvents, seenEvents.Distinct().Count(), "no event twice");
        Assert.AreEqual(first.Findings.Count, seenFindings.Count);
        Assert.AreEqual(seenFindings.Count, seenFindings.Distinct().Count(), "no finding twice");
    }

    [TestMethod]
    public void Process_CursorFromAnotherQuery_ThenRejected()
    {
        using var trace = TraceGenerator.Generate(3_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.All });
        var engine = new QueryEngine(tokenCounter: Gpt4o);
        var page = engine.Process(trace, 200, "depth>1");
        Assert.IsNotNull(page.NextCursor);
        var e = Assert.ThrowsExactly<QueryArgumentException>(() => engine.Process(trace, 200, "depth>2", cursor: page.NextCursor));
        StringAssert.Contains(e.Message, "belongs to another trace or query");
        using var other = TraceGenerator.Generate(3_000, new TraceGeneratorOptions { Seed = 1 });
        Assert.ThrowsExactly<QueryArgumentException>(() => engine.Process(other, 200, "depth>1", cursor: page.NextCursor));
        Assert.ThrowsExactly<QueryArgumentException>(() => engine.Process(trace, 200, "depth>1", cursor: "garbage"));
    }

    [TestMethod]
    public void Process_BudgetBelowMinimum_ThenExplainsMinimum()
    {
        using var trace = TraceGenerator.Generate(1_000);
        var engine = new QueryEngine(tokenCounter: Gpt4o);
        var e = Assert.ThrowsExactly<TokenBudgetException>(() => engine.Process(trace, 10));
        StringAssert.Contains(e.Message, "below the minimum of");
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => engine.Process(trace, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => engine.Process(trace, -5));
    }

    [TestMethod]
    public void TokenCounter_UnknownModel_ThenListsSupportedModels()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new TokenCounter("gpt-17"));
        StringAssert.Contains(e.Message, "gpt-4o-mini");
        StringAssert.Contains(e.Message, "cl100k_base");
        foreach (string model in TokenCounter.SupportedModels)
            Assert.IsTrue(new TokenCounter(model).CountTokens("hash_file ×20,000 · p50 1.2 µs") > 0, model);
    }

    [TestMethod]
    public void Process_ModelOverride_ThenCountsWithThatTokenizer()
    {
        using var trace = TraceGenerator.Generate(2_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.Crash });
        var engine = new QueryEngine();
        var result = engine.Process(trace, 1_000, options: new QueryOptions { Model = "gpt-4" });
        Assert.AreEqual("gpt-4", result.Model);
        Assert.AreEqual(Gpt4.CountTokens(result.Summary), result.TokenCount);
    }

    [TestMethod]
    public async Task ProcessAsync_Cancelled_ThenOperationCanceled()
    {
        using var trace = TraceGenerator.Generate(2_000);
        using var source = new CancellationTokenSource();
        await source.CancelAsync();
        await Assert.ThrowsExactlyAsync<TaskCanceledException>(() => new QueryEngine().ProcessAsync(trace, 1_000, cancellationToken: source.Token));
    }

    [TestMethod]
    public void Process_SameInputsTwice_ThenByteIdentical()
    {
        using var a = GoldenTraces.Create("crash");
        using var b = GoldenTraces.Create("crash");
        var engine = new QueryEngine(tokenCounter: Gpt4o);
        Assert.AreEqual(engine.Process(a, 2_000, "error or depth>3").Summary, engine.Process(b, 2_000, "error or depth>3").Summary);
    }
}
