using TraceQuery.Analysis;
using TraceQuery.Model;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Text;

namespace TraceQuery.Tests.Analysis;

[TestClass]
public sealed class KeySymbolPlannerTests
{
    private static readonly Analyzer Analyzer = new();

    [TestMethod]
    [DataRow("crash", "the indexer crashes while parsing headers")]
    [DataRow("hang", "hang waiting for a lock")]
    [DataRow("leak", "memory grows, buffers never released")]
    [DataRow("outlier", "hashing files is sometimes slow")]
    [DataRow("hotloop", "checksums burn too much CPU")]
    public void Plan_GoldenTracePlainWordsSymptom_ThenCulpritInTopThree(string golden, string symptom)
    {
        using var trace = GoldenTraces.Create(golden);
        var plan = KeySymbolPlanner.Plan(trace, Analyzer.Analyze(trace), symptom, topK: 10);
        var top3 = plan.Functions.Take(3).Select(k => k.Name).ToList();
        CollectionAssert.Contains(top3, GoldenTraces.CulpritOf(golden), string.Join(", ", top3));
        var culprit = plan.Functions.First(k => k.Name == GoldenTraces.CulpritOf(golden));
        Assert.IsTrue(culprit.Reasons.Any(r => r.StartsWith("in_finding(", StringComparison.Ordinal) && r.EndsWith("fits the symptom)", StringComparison.Ordinal)), string.Join(" · ", culprit.Reasons));
        Assert.IsTrue(culprit.Reasons.Any(r => r.StartsWith("name_match(", StringComparison.Ordinal)), string.Join(" · ", culprit.Reasons));
        // Scores never increase down the ranking, and the module sets hold exactly the ranked functions.
        for (int i = 1; i < plan.Functions.Count; i++)
            Assert.IsTrue(plan.Functions[i].Score <= plan.Functions[i - 1].Score);
        var decoded = plan.ModuleSets.SelectMany(s => FunctionIdSet.DecodeFunctionIds(s.ModuleId, s.Base64)).Order().ToList();
        CollectionAssert.AreEqual(plan.Functions.Select(k => k.FunctionId).Order().ToList(), decoded);
    }

    [TestMethod]
    public void Plan_NameMatchOnly_ThenPartsSplitAndStemmedAndNeighboursAdded()
    {
        using var trace = GoldenTraces.Create("clean");
        var plan = KeySymbolPlanner.Plan(trace, Analyzer.Analyze(trace), "slow when saving: flushing pages", topK: 18);
        var flush = plan.Functions.First(k => k.Name == "flush_pages");
        Assert.AreEqual("name_match(flush, pages)", flush.Reasons[0]);
        Assert.IsTrue(flush.Score >= 6);
        // run_indexer calls flush_pages: a neighbour of a strong match.
        var caller = plan.Functions.First(k => k.Name == "run_indexer");
        CollectionAssert.Contains(caller.Reasons.ToList(), "neighbour(caller of flush_pages)");
        // save ~ write/flush/put/store: related words count less than a shared stem.
        var put = plan.Functions.First(k => k.Name == "put_record");
        CollectionAssert.Contains(put.Reasons.ToList(), "name_match(saving~put)");
    }

    [TestMethod]
    public void Plan_Hints_ThenHintMatchReasons()
    {
        using var trace = GoldenTraces.Create("clean");
        var hints = new KeySymbolHints { Modules = ["libmem"], Functions = ["close_store"], Files = ["src/record_writer.c"] };
        var plan = KeySymbolPlanner.Plan(trace, Analyzer.Analyze(trace), "something is wrong", hints, topK: 18);
        Assert.AreEqual("close_store", plan.Functions[0].Name);
        CollectionAssert.Contains(plan.Functions[0].Reasons.ToList(), "hint_match(function close_store)");
        Assert.IsTrue(plan.Functions.Any(k => k.Name == "buffer_alloc" && k.Reasons.Contains("hint_match(module libmem.so)")));
        Assert.IsTrue(plan.Functions.Any(k => k.Name == "put_record" && k.Reasons.Contains("hint_match(file record_writer.c)")));
        Assert.IsTrue(plan.Functions.Any(k => k.Name == "write_index" && k.Reasons.Contains("hint_match(file record_writer.c)")));
    }

    [TestMethod]
    [DataRow("parsing", "pars")]
    [DataRow("parser", "pars")]
    [DataRow("parse", "pars")]
    [DataRow("headers", "head")]
    [DataRow("header", "head")]
    [DataRow("stopping", "stop")]
    [DataRow("buffers", "buf")]
    [DataRow("entries", "entry")]
    [DataRow("lock", "lock")]
    public void Stem_CommonEndings_ThenSameStem(string word, string stem) => Assert.AreEqual(stem, WordStemmer.Stem(word));

    [TestMethod]
    public void PlanKeySymbols_ThroughEngine_ThenWithinBudgetAndMatchesSnapshot()
    {
        using var trace = GoldenTraces.Create("hang", 6_000);
        var counter = new TokenCounter("gpt-4o");
        var engine = new QueryEngine(tokenCounter: counter);
        var result = engine.PlanKeySymbols(trace, "hang waiting for a lock", topK: 5, tokenBudget: 600);
        Assert.IsTrue(result.TokenCount <= 600);
        Assert.AreEqual(counter.CountTokens(result.Summary), result.TokenCount);
        Snapshot.Verify(result.Summary);
        Assert.ThrowsExactly<QueryArgumentException>(() => engine.PlanKeySymbols(trace, "  "));
    }
}
