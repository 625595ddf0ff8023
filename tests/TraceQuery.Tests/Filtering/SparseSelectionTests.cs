using TraceQuery.Filtering;
using TraceQuery.Filtering.Internals;
using TraceQuery.Generation;
using TraceQuery.Model;

namespace TraceQuery.Tests.Filtering;

/// <summary>
/// Block summaries and sparse selections: the candidate blocks a plan marks must hold every match, and the sparse path
/// (blocks one by one into an index list), the dense path (candidate runs into a bitmap), the dense path with no block
/// skipped, the scalar twins and the plain per-event evaluation must all select the same events.
/// </summary>
[TestClass]
public sealed class SparseSelectionTests
{
    private static readonly string[] Filters =
    [
        "kind:exception", "kind:exception or kind:call", "thread:1 and kind:call and depth<=2", "thread:2 and kind:exception",
        "fn:parse_* and depth>3 and kind:return", "fn:*alloc* or fn:*free*", "not kind:return", "kind:exception and depth>2",
        "thread:0 or thread:3", "depth>6", "kind:return and not thread:1", "fn:nothing* or kind:exception", "detail:yes and kind:call",
        "(kind:exception or thread:2) and depth<3", "fn:parse_* and fn:*header*", "fn:*alloc* or fn:*free* or kind:exception", "time:0ms..1ms", "time>=1ms and kind:exception", "kind:call and kind:return",
    ];

    [TestMethod]
    public void Evaluate_FiltersOverMultiBlockTraces_ThenEveryPathEqualsPlainEvaluation()
    {
        int[] lengths = [1, 4_095, 4_096, 4_097, 50_000, 70_001];
        for (int t = 0; t < lengths.Length; t++)
        {
            using var trace = TraceGenerator.Generate(lengths[t], new TraceGeneratorOptions
            {
                Seed = 100 + t,
                Threads = 1 + (t % 4),
                WithDetail = t % 2 == 0,
                Anomalies = t % 3 == 0 ? TraceAnomalies.Crash : TraceAnomalies.All,
            });
            foreach (string text in Filters)
                AssertAllPathsAgree($"{text} over {lengths[t]} events", EventFilter.Parse(text), trace);
        }
    }

    [TestMethod]
    public void Evaluate_RandomFiltersOverMultiBlockTraces_ThenEveryPathEqualsPlainEvaluation()
    {
        var random = new Random(20261204);
        for (int round = 0; round < 12; round++)
        {
            using var trace = TraceGenerator.Generate(random.Next(8_000, 40_000), new TraceGeneratorOptions
            {
                Seed = random.Next(),
                Threads = random.Next(1, 5),
                Anomalies = (TraceAnomalies)random.Next(0, 32),
            });
            for (int k = 0; k < 6; k++)
            {
                var node = RandomNode(random, trace, depth: 2);
                AssertAllPathsAgree($"round {round}, {node}", EventFilter.FromNode(node), trace);
            }
        }
    }

    [TestMethod]
    public void Evaluate_RareKindInLargeTrace_ThenSparseSelectionOfExactlyThoseEvents()
    {
        using var trace = TraceGenerator.Generate(300_000, new TraceGeneratorOptions { Threads = 3, Anomalies = TraceAnomalies.Crash, Seed = 9 });
        var expected = Enumerable.Range(0, trace.EventCount).Where(i => trace.Kinds[i] == (byte)EventKind.Exception).ToList();
        Assert.IsTrue(expected.Count is > 0 and < 100, $"the crash plants a few exceptions, got {expected.Count}");

        var selection = EventFilter.Parse("kind:exception").Evaluate(trace);
        Assert.IsTrue(selection.IsSparse, "few matches in few blocks come back as an index list");
        Assert.AreEqual(expected.Count, selection.Count);
        CollectionAssert.AreEqual(expected, selection.Indices().ToList());
        Assert.IsTrue(selection.Contains(expected[0]));
        Assert.IsFalse(selection.Contains(expected[0] + 1));

        // The bitmap built on demand holds the same bits.
        var dense = Selection.FromIndices(trace.EventCount, expected);
        CollectionAssert.AreEqual(dense.Words.ToArray(), selection.Words.ToArray());

        var half = EventFilter.Parse("kind:return").Evaluate(trace);
        Assert.IsFalse(half.IsSparse, "half the events stay a bitmap");
    }

    [TestMethod]
    public void CandidateBlocks_KindAndThreadSummaries_ThenOnlyBlocksThatCanMatch()
    {
        using var trace = TraceGenerator.Generate(200_000, new TraceGeneratorOptions { Threads = 4, Anomalies = TraceAnomalies.Crash, Seed = 3 });
        int blocks = FilterPlan.BlockCount(trace.EventCount);

        var exceptions = CandidateSet(FilterCompiler.Compile(EventFilter.Parse("kind:exception").Root, trace), trace);
        var withException = Enumerable.Range(0, blocks)
            .Where(b => BlockEvents(trace, b).Any(i => trace.Kinds[i] == (byte)EventKind.Exception)).ToList();
        CollectionAssert.AreEqual(withException, exceptions, "the kind zone map marks exactly the blocks holding an exception");

        var thread = trace.Threads.First(t => t.Id == 1);
        var threadBlocks = CandidateSet(FilterCompiler.Compile(EventFilter.Parse("thread:1 and kind:call").Root, trace), trace);
        var expected = Enumerable.Range(0, blocks)
            .Where(b => BlockEvents(trace, b).Any(i => i >= thread.Start && i < thread.End)).ToList();
        CollectionAssert.AreEqual(expected, threadBlocks, "a thread term marks the blocks its index range touches");
    }

    private static List<int> CandidateSet(FilterPlan plan, ExecutionTrace trace)
    {
        var bits = FilterPlan.CandidateBlocks(plan, trace);
        return [.. Enumerable.Range(0, FilterPlan.BlockCount(trace.EventCount)).Where(b => (bits[b >> 6] & (1UL << b)) != 0)];
    }

    private static IEnumerable<int> BlockEvents(ExecutionTrace trace, int block) =>
        Enumerable.Range(block * FilterPlan.BlockEvents, Math.Min(FilterPlan.BlockEvents, trace.EventCount - (block * FilterPlan.BlockEvents)));

    private static void AssertAllPathsAgree(string description, EventFilter filter, ExecutionTrace trace)
    {
        var expected = FilterReference.Evaluate(filter.Root, trace).Order().ToList();
        var plan = FilterCompiler.Compile(filter.Root, trace);
        var candidates = FilterPlan.CandidateBlocks(plan, trace);
        foreach (int i in expected)
        {
            int block = i / FilterPlan.BlockEvents;
            Assert.AreNotEqual(0UL, candidates[block >> 6] & (1UL << block), $"{description}: event {i} matches in block {block}, which is not a candidate");
        }

        var everyBlock = new ulong[candidates.Length];
        Array.Fill(everyBlock, ulong.MaxValue);
        Selection.ClearTail(everyBlock, FilterPlan.BlockCount(trace.EventCount));
        var paths = new (string Name, Selection Selection)[]
        {
            ("public", filter.Evaluate(trace)),
            ("scalar", ScalarTwin.Evaluate(filter, trace)),
            ("sparse", FilterPlan.SelectFew(plan, trace, candidates)),
            ("dense", new Selection(FilterPlan.EvaluateAll(plan, trace), trace.EventCount)),
            ("no block skipped", new Selection(FilterPlan.EvaluateCandidates(plan, trace, everyBlock), trace.EventCount)),
        };
        var expectedWords = Selection.FromIndices(trace.EventCount, expected).Words.ToArray();
        foreach (var (name, selection) in paths)
        {
            Assert.AreEqual(expected.Count, selection.Count, $"{description}: {name} count");
            CollectionAssert.AreEqual(expected, selection.Indices().ToList(), $"{description}: {name} indices");
            CollectionAssert.AreEqual(expectedWords, selection.Words.ToArray(), $"{description}: {name} words");
        }
    }

    private static FilterNode RandomNode(Random random, ExecutionTrace trace, int depth) =>
        RandomFilterTrees.Build(random, depth, r => RandomTerm(r, trace));

    private static FilterNode RandomTerm(Random random, ExecutionTrace trace)
    {
        var ops = Enum.GetValues<ComparisonOperator>();
        long span = Math.Max(1, trace.TimeEndNs - trace.TimeStartNs);
        return random.Next(7) switch
        {
            0 or 1 => new KindTerm(random.Next(2) == 0 ? [EventKind.Exception] : [.. Enum.GetValues<EventKind>().Where(_ => random.Next(2) == 0)]),
            2 => new ThreadTerm([.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => (uint)random.Next(5))]),
            3 => new NameTerm(NameField.Function, NamePatternKind.Glob, random.Next(2) == 0 ? "parse_*" : "*_block"),
            4 => new DepthTerm(ops[random.Next(ops.Length)], (uint)random.Next(0, 7)),
            5 => new TimeTerm(random.NextInt64(0, span), random.Next(3) == 0 ? null : random.NextInt64(0, span + 10)),
            _ => new DurationTerm(ops[random.Next(ops.Length)], random.NextInt64(1, 50_000)),
        };
    }
}
