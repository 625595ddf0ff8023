using System.Globalization;
using System.Text;
using TraceQuery.Filtering;
using TraceQuery.Filtering.Internals;
using TraceQuery.Generation;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Filtering;

[TestClass]
public sealed class StructuralFilterTests
{
    // ---- a hand-made trace -----------------------------------------------------------------------------

    /// <summary>
    /// Thread 1: main { flush { write { memcpy } } write { } sync { flush { write } } }; thread 2: write { } and an
    /// unmatched flush { write (never closed).
    /// </summary>
    private static ExecutionTrace HandMade()
    {
        string[] names = ["main", "flush", "write", "memcpy", "sync"];
        var builder = new TraceBuilder();
        for (int i = 0; i < names.Length; i++)
            builder.AddSymbol(new SymbolInfo(Fid(i), names[i]));
        ulong t = 1000;
        void Call(uint thread, int fn, uint depth) => builder.Add(new TraceEvent(t += 10, Fid(fn), thread, EventKind.Call, depth));
        void Return(uint thread, int fn, uint depth) => builder.Add(new TraceEvent(t += 10, Fid(fn), thread, EventKind.Return, depth));
        Call(1, 0, 1);
        Call(1, 1, 2);
        Call(1, 2, 3);
        Call(1, 3, 4);
        Return(1, 3, 4);
        Return(1, 2, 3);
        Return(1, 1, 2);
        Call(1, 2, 2);
        Return(1, 2, 2);
        Call(1, 4, 2);
        Call(1, 1, 3);
        Call(1, 2, 4);
        Return(1, 2, 4);
        Return(1, 1, 3);
        Return(1, 4, 2);
        Return(1, 0, 1);
        Call(2, 2, 1);
        Return(2, 2, 1);
        Call(2, 1, 1);
        Call(2, 2, 2);
        return builder.Build();

        static ulong Fid(int i) => SymbolTable.MakeFunctionId(1, (uint)(i + 1));
    }

    [TestMethod]
    [DataRow("fn:flush >> fn:write", "write@2 write@11 write@19")]
    [DataRow("fn:flush > fn:write", "write@2 write@11 write@19")]
    [DataRow("fn:main > fn:write", "write@7")]
    [DataRow("fn:main >> fn:write", "write@2 write@7 write@11")]
    [DataRow("fn:flush !>> fn:write", "write@7 write@16")]
    [DataRow("fn:main !> fn:write", "write@2 write@11 write@16 write@19")]
    [DataRow("fn:sync >> fn:flush > fn:write", "write@11")]
    [DataRow("fn:main >> fn:flush >> fn:memcpy", "memcpy@3")]
    [DataRow("fn:write >> fn:write", "")]
    [DataRow("fn:flush or fn:sync >> fn:write", "write@2 write@11 write@19")]
    [DataRow("fn:main >> fn:flush or fn:memcpy", "flush@1 memcpy@3 flush@10")]
    [DataRow("fn:main >> fn:write and dur>15ns", "write@2")]
    [DataRow("status:unmatched", "flush@18 write@19")]
    [DataRow("status:unmatched > fn:write", "write@19")]
    [DataRow("status:complete !>> status:unmatched", "flush@18 write@19")]
    [DataRow("self>=20ns fn:flush", "flush@1 flush@10")]
    [DataRow("self<20ns fn:flush", "flush@18")]
    [DataRow("kind:return >> fn:write", "")]
    [DataRow("(fn:flush >> fn:write) or kind:return fn:memcpy", "write@2 memcpy@4 write@11 write@19")]
    public void Evaluate_HandMadeTrace_ThenSelectsOpeningEventsOfMatchingSpans(string filter, string expected)
    {
        using var trace = HandMade();
        var selection = EventFilter.Parse(filter).Evaluate(trace);
        string actual = string.Join(' ', selection.Indices().Select(i => trace.GetFunctionName(trace.FunctionOrdinals[i]) + "@" + i.ToString(CultureInfo.InvariantCulture)));
        Assert.AreEqual(expected, actual, filter);
        Assert.AreEqual(expected, string.Join(' ', Reference(FilterParser.Parse(filter), trace).Order().Select(i => trace.GetFunctionName(trace.FunctionOrdinals[i]) + "@" + i.ToString(CultureInfo.InvariantCulture))), filter + " (reference)");
    }

    // ---- the property: equal to walking up the tree ----------------------------------------------------

    private static readonly string[] Outer = ["fn:worker_loop", "fn:handle_request", "fn:*_block", "fn:parse_*", "fn:flush_pages", "depth<=2", "dur>20us", "thread:2"];
    private static readonly string[] Inner = ["fn:read_block", "fn:buffer_*", "fn:memcpy_fast", "fn:*", "fn:wait_for_lock", "status:unwound,unmatched", "self<1us", "kind:call"];
    private static readonly SpanRelation[] Relations = Enum.GetValues<SpanRelation>();

    private static FilterNode RandomStructural(Random random, int depth)
    {
        FilterNode Side(string[] terms) =>
            random.Next(4) switch
            {
                0 when depth > 0 => RandomStructural(random, depth - 1),
                1 => new OrNode(FilterParser.Parse(terms[random.Next(terms.Length)]), FilterParser.Parse(terms[random.Next(terms.Length)])),
                2 => new NotNode(FilterParser.Parse(terms[random.Next(terms.Length)])),
                _ => FilterParser.Parse(terms[random.Next(terms.Length)]),
            };
        FilterNode node = new SpanRelationNode(Relations[random.Next(Relations.Length)], Side(Outer), Side(Inner));
        return random.Next(5) switch
        {
            0 => new NotNode(node),
            1 => new OrNode(node, new KindTerm([EventKind.Exception])),
            2 => new AndNode(node, new DepthTerm(ComparisonOperator.Greater, (uint)random.Next(1, 5))),
            _ => node,
        };
    }

    [TestMethod]
    public void Evaluate_RandomStructuralFiltersOverRandomTraces_ThenEqualTreeWalkReference()
    {
        var random = new Random(20261126);
        int[] lengths = [0, 1, 2, 63, 64, 65, 200, 1_000, 5_000, 20_000];
        for (int round = 0; round < 40; round++)
        {
            int length = lengths[round % lengths.Length];
            using var trace = TraceGenerator.Generate(length, new TraceGeneratorOptions
            {
                Seed = random.Next(),
                Threads = random.Next(1, 5),
                MaxDepth = random.Next(2, 12),
                Anomalies = (TraceAnomalies)random.Next(0, 32),
            });
            AssertOpeningEventsMapToTheirSpans(trace);
            Assert.IsTrue(trace.EventCount == 0 || trace.SpanTree.IsNested, $"round {round}: generated spans are nested");
            var unnested = SpanTree.Build(trace, trace.Spans, forceUnnested: true);
            for (int k = 0; k < 6; k++)
            {
                var node = RandomStructural(random, depth: 2);
                string context = $"round {round}, length {length}, filter {FilterParser.Format(node)}";
                var filter = EventFilter.FromNode(node);
                var vector = filter.Evaluate(trace);
                var scalar = ScalarTwin.Evaluate(filter, trace);
                var expected = Reference(node, trace);
                CollectionAssert.AreEqual(scalar.Words.ToArray(), vector.Words.ToArray(), context + ": vector and scalar twins differ");
                Assert.AreEqual(expected.Count, vector.Count, context + ": count");
                Assert.IsTrue(expected.SetEquals(vector.Indices()), context + ": selected events differ from the tree walk");
                if (node is SpanRelationNode relation && trace.EventCount > 0)
                {
                    var outer = EventFilter.FromNode(relation.Outer).Evaluate(trace).Words.ToArray();
                    var inner = EventFilter.FromNode(relation.Inner).Evaluate(trace).Words.ToArray();
                    var fallback = SpanRelations.Evaluate(relation.Relation, outer, inner, trace.Spans, unnested);
                    CollectionAssert.AreEqual(vector.Words.ToArray(), fallback, context + ": the pass without intervals differs");
                }
            }
        }
    }

    [TestMethod]
    public void Evaluate_LargeTraceAcrossParallelChunks_ThenEqualsTreeWalkReference()
    {
        using var trace = TraceGenerator.Generate(1_100_000, new TraceGeneratorOptions { Threads = 3, Anomalies = TraceAnomalies.All });
        foreach (string filter in new[] { "fn:scan_directory >> fn:read_block", "fn:handle_request !>> fn:memcpy_fast", "fn:put_record > fn:wait_for_lock" })
        {
            var node = FilterParser.Parse(filter);
            var selection = EventFilter.FromNode(node).Evaluate(trace);
            Assert.IsTrue(selection.Count > 0, filter);
            Assert.IsTrue(Reference(node, trace).SetEquals(selection.Indices()), filter);
        }
    }

    [TestMethod]
    [DataRow("fn:write_index >> fn:memcpy*")]
    [DataRow("fn:handle_request > fn:put_record and dur>1us")]
    [DataRow("fn:worker_loop !>> fn:wait_for_lock")]
    [DataRow("status:unwound > fn:*")]
    [DataRow("dur>100us >> self>10us")]
    public void Evaluate_ReadmeExamplesOnGoldenLikeTrace_ThenNonEmptyAndEqualTreeWalk(string filter)
    {
        using var trace = TraceGenerator.Generate(50_000, new TraceGeneratorOptions { Seed = 7, Anomalies = TraceAnomalies.All });
        var node = FilterParser.Parse(filter);
        var selection = EventFilter.FromNode(node).Evaluate(trace);
        Assert.IsTrue(selection.Count > 0, filter);
        Assert.IsTrue(Reference(node, trace).SetEquals(selection.Indices()), filter);
    }

    [TestMethod]
    public void SpanTree_NestedTrace_ThenSubtreeEndsAtNextOpeningEventAfterSubtree()
    {
        using var trace = HandMade();
        var tree = trace.SpanTree;
        Assert.IsTrue(tree.IsNested);
        Assert.IsNull(tree.TopologicalOrder);
        // Subtree of main (span 0) holds the opening events of spans 0..9, up to thread 2's first CALL (event 16).
        Assert.AreEqual(16, tree.SubtreeEndEvents![0]);
        Assert.AreEqual(trace.EventCount, tree.SubtreeEndEvents[^1]);
    }

    [TestMethod]
    public void Evaluate_SpanIdsNotInPreorder_ThenParentsFirstPassGivesSameSpans()
    {
        using var trace = HandMade();
        var spans = trace.Spans;
        int count = spans.Count;
        // Reverse the ids: every parent now has a larger id than its children, so there is no interval encoding.
        int Map(int s) => s < 0 ? s : count - 1 - s;
        var starts = new int[count];
        var ends = new int[count];
        var parents = new int[count];
        var statuses = new SpanStatus[count];
        for (int s = 0; s < count; s++)
        {
            starts[Map(s)] = spans.StartEvents[s];
            ends[Map(s)] = spans.EndEvents[s];
            parents[Map(s)] = Map(spans.Parents[s]);
            statuses[Map(s)] = spans.Statuses[s];
        }
        var spanOfEvent = spans.SpanOfEvent.ToArray().Select(Map).ToArray();
        // Thread ranges and exception flags are not read by span operators; one range over all spans is enough.
        var reversed = new CallSpans(trace, starts, ends, parents, statuses, new bool[count], spanOfEvent, [0, count]);
        var tree = SpanTree.Build(trace, reversed, forceUnnested: false);
        Assert.IsFalse(tree.IsNested);
        var order = tree.TopologicalOrder!;
        var position = new int[count];
        for (int i = 0; i < count; i++)
            position[order[i]] = i;
        for (int s = 0; s < count; s++)
            Assert.IsTrue(parents[s] < 0 || position[parents[s]] < position[s], $"span {s} comes before its parent");

        foreach (string filter in new[] { "fn:flush >> fn:write", "fn:flush !>> fn:write", "fn:main > fn:write", "fn:main !> fn:write", "fn:sync >> fn:*" })
        {
            var node = (SpanRelationNode)FilterParser.Parse(filter);
            var outer = EventFilter.FromNode(node.Outer).Evaluate(trace).Words.ToArray();
            var inner = EventFilter.FromNode(node.Inner).Evaluate(trace).Words.ToArray();
            var expected = EventFilter.FromNode(node).Evaluate(trace).Words.ToArray();
            CollectionAssert.AreEqual(expected, SpanRelations.Evaluate(node.Relation, outer, inner, reversed, tree), filter);
        }
    }

    // ---- precedence and canonical text ----------------------------------------------------------------

    private static readonly string[] Examples =
    [
        "fn:flush >> fn:write",
        "fn:std::vector<std::vector<int>>::size >> fn:a>b",
        "(fn:flush)>>(fn:write)",
        "fn:flush or fn:sync >> fn:write",
        "fn:main >> fn:flush or fn:write",
        "fn:main thread:3 > fn:write",
        "fn:main >> fn:flush > fn:write",
        "fn:main >> (fn:flush > fn:write)",
        "not fn:main >> fn:write",
        "fn:main !>> not fn:write",
        "(fn:main >> fn:write) or kind:exception",
        "(fn:main >> fn:write) and dur>1ms",
        "fn:main !> fn:write",
        "FN:main !>> STATUS:Unwound|orphan",
        "dur>10ms self>=1.5ms dur:5us self!=0ns dur<=1s",
        "status:complete,unmatched,unwound,orphan",
        "\"depth\" > fn:write",
        "fn:a >> fn:b >> fn:c !>> fn:d",
    ];

    [TestMethod]
    public void Format_StructuralExamples_ThenCanonicalTextShowsGrouping()
    {
        var lines = new StringBuilder();
        foreach (string filter in Examples)
        {
            FilterNode parsed = FilterParser.Parse(filter);
            string text = FilterParser.Format(parsed);
            lines.Append(filter).Append(" → ").Append(text).Append("   ").AppendLine(Shape(parsed));
            Assert.AreEqual(text, FilterParser.Format(FilterParser.Parse(text)), filter);
            Assert.AreEqual(Shape(parsed), Shape(FilterParser.Parse(text)), filter);
            Assert.AreEqual(text, EventFilter.Parse(filter).Canonical, filter);
        }
        Snapshot.Verify(lines.ToString());
    }

    /// <summary>The tree as nested prefix operators, to show precedence in the snapshot.</summary>
    private static string Shape(FilterNode node) => node switch
    {
        SpanRelationNode r => $"{r.Relation}({Shape(r.Outer)}, {Shape(r.Inner)})",
        AndNode a => $"and({Shape(a.Left)}, {Shape(a.Right)})",
        OrNode o => $"or({Shape(o.Left)}, {Shape(o.Right)})",
        NotNode n => $"not({Shape(n.Operand)})",
        _ => FilterParser.Format(node),
    };

    // ---- reference --------------------------------------------------------------------------------------

    private static void AssertOpeningEventsMapToTheirSpans(ExecutionTrace trace)
    {
        var spans = trace.Spans;
        for (int s = 0; s < spans.Count; s++)
            Assert.AreEqual(s, spans.SpanOfEvent[spans.StartEvents[s]]);
    }

    /// <summary>Span operators by walking up the parent chain of every span; span terms from <see cref="CallSpans.Get"/>; and, or, not as set operations.</summary>
    private static HashSet<int> Reference(FilterNode node, ExecutionTrace trace)
    {
        var spans = trace.Spans;
        switch (node)
        {
            case AndNode a:
                {
                    var set = Reference(a.Left, trace);
                    set.IntersectWith(Reference(a.Right, trace));
                    return set;
                }
            case OrNode o:
                {
                    var set = Reference(o.Left, trace);
                    set.UnionWith(Reference(o.Right, trace));
                    return set;
                }
            case NotNode n:
                {
                    var set = Enumerable.Range(0, trace.EventCount).ToHashSet();
                    set.ExceptWith(Reference(n.Operand, trace));
                    return set;
                }
            case SpanRelationNode r:
                {
                    var outer = Reference(r.Outer, trace);
                    var inner = Reference(r.Inner, trace);
                    var set = new HashSet<int>();
                    for (int s = 0; s < spans.Count; s++)
                    {
                        if (!inner.Contains(spans.StartEvents[s]))
                            continue;
                        bool found = false;
                        for (int p = spans.Parents[s]; p >= 0 && !found; p = spans.Parents[p])
                        {
                            found = outer.Contains(spans.StartEvents[p]);
                            if (r.Relation is SpanRelation.Child or SpanRelation.NotChild)
                                break;
                        }
                        if (found == (r.Relation is SpanRelation.Child or SpanRelation.Descendant))
                            set.Add(spans.StartEvents[s]);
                    }
                    return set;
                }
            case SpanDurationTerm d:
                return SpansWhere(trace, s => Compare(spans.Get(s).DurationNs, d.Op, d.Nanoseconds));
            case SelfTimeTerm t:
                {
                    var self = new long[spans.Count];
                    for (int s = 0; s < spans.Count; s++)
                        self[s] = spans.Get(s).DurationNs;
                    for (int s = 0; s < spans.Count; s++)
                    {
                        if (spans.Parents[s] >= 0)
                            self[spans.Parents[s]] -= spans.Get(s).DurationNs;
                    }
                    return SpansWhere(trace, s => Compare(self[s], t.Op, t.Nanoseconds));
                }
            case SpanStatusTerm st:
                return SpansWhere(trace, s => st.Statuses.Contains(spans.Get(s).Status));
            default:
                // Event terms: the compiled evaluation, which TraceFilterTests checks against FilterReference
                // (that plain evaluation builds a regex per event, too slow for these traces).
                return ScalarTwin.Evaluate(EventFilter.FromNode(node), trace).Indices().ToHashSet();
        }
    }

    private static HashSet<int> SpansWhere(ExecutionTrace trace, Func<int, bool> predicate)
    {
        var set = new HashSet<int>();
        for (int s = 0; s < trace.Spans.Count; s++)
        {
            if (predicate(s))
                set.Add(trace.Spans.StartEvents[s]);
        }
        return set;
    }

    private static bool Compare(long value, ComparisonOperator op, long constant) => op switch
    {
        ComparisonOperator.Equal => value == constant,
        ComparisonOperator.NotEqual => value != constant,
        ComparisonOperator.Less => value < constant,
        ComparisonOperator.LessOrEqual => value <= constant,
        ComparisonOperator.Greater => value > constant,
        _ => value >= constant,
    };
}
