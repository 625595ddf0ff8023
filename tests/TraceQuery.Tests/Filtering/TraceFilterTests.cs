using TraceQuery.Filtering;
using TraceQuery.Generation;
using TraceQuery.Model;

namespace TraceQuery.Tests.Filtering;

[TestClass]
public sealed class TraceFilterTests
{
    private static readonly string[] Globs = ["parse_*", "*_block", "hash_file", "*", "?ead_block", "nothing*", "*ALLOC*", "w*_*"];
    private static readonly string[] Regexes = ["^parse", "block$", "(a+)+$", "buf.*(alloc|free)", "^$"];
    private static readonly string[] Modules = ["libstore.so", "lib*", "/srv/app/bin/*", "indexer", "mod_*"];
    private static readonly string[] Words = ["parse", "STORE", "error", "crash", "zzz", "lock"];

    private static Selection Evaluate(string description, FilterNode node, ExecutionTrace trace)
    {
        var filter = EventFilter.FromNode(node);
        var vector = filter.Evaluate(trace);
        var scalar = ScalarTwin.Evaluate(filter, trace);
        var expected = FilterReference.Evaluate(node, trace);
        CollectionAssert.AreEqual(scalar.Words.ToArray(), vector.Words.ToArray(), $"{description}: vector and scalar twins differ");
        var actual = vector.Indices().ToHashSet();
        Assert.AreEqual(expected.Count, vector.Count, $"{description}: count");
        Assert.IsTrue(expected.SetEquals(actual), $"{description}: selected events differ from the plain evaluation");
        return vector;
    }

    private static FilterNode RandomNode(Random random, ExecutionTrace trace, int depth) =>
        RandomFilterTrees.Build(random, depth, r => RandomTerm(r, trace));

    private static FilterNode RandomTerm(Random random, ExecutionTrace trace)
    {
        var ops = Enum.GetValues<ComparisonOperator>();
        long span = Math.Max(1, trace.TimeEndNs - trace.TimeStartNs);
        return random.Next(10) switch
        {
            0 => new KindTerm(Enum.GetValues<EventKind>().Where(_ => random.Next(2) == 0).ToList()),
            1 => new ThreadTerm(Enumerable.Range(0, random.Next(1, 3)).Select(_ => (uint)random.Next(5)).ToList()),
            2 => new NameTerm(NameField.Function, NamePatternKind.Glob, Globs[random.Next(Globs.Length)]),
            3 => new NameTerm(NameField.Function, NamePatternKind.Regex, Regexes[random.Next(Regexes.Length)]),
            4 => new NameTerm(NameField.Module, NamePatternKind.Glob, Modules[random.Next(Modules.Length)]),
            5 => new WordTerm(Words[random.Next(Words.Length)], random.Next(2) == 0),
            6 => new DepthTerm(ops[random.Next(ops.Length)], (uint)random.Next(0, 7)),
            7 => new TimeTerm(random.Next(3) == 0 ? null : random.NextInt64(-10, span), random.Next(3) == 0 ? null : random.NextInt64(0, span + 10)),
            8 => new DurationTerm(ops[random.Next(ops.Length)], random.Next(4) == 0 ? 0 : random.NextInt64(1, 50_000)),
            _ => new DetailTerm(random.Next(2) == 0),
        };
    }

    [TestMethod]
    public void Evaluate_RandomFiltersOverRandomTraces_ThenEqualsPlainEvaluation()
    {
        var random = new Random(20261126);
        int[] lengths = [0, 1, 31, 32, 33, 63, 64, 65, 127, 1000, 4_099];
        for (int round = 0; round < 60; round++)
        {
            int length = lengths[round % lengths.Length];
            using var trace = TraceGenerator.Generate(length, new TraceGeneratorOptions
            {
                Seed = random.Next(),
                Threads = random.Next(1, 5),
                WithDetail = random.Next(2) == 0,
                Anomalies = (TraceAnomalies)random.Next(0, 32),
            });
            for (int k = 0; k < 8; k++)
            {
                var node = RandomNode(random, trace, depth: 3);
                Evaluate($"round {round}, length {length}, filter {node}", node, trace);
            }
        }
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(31)]
    [DataRow(32)]
    [DataRow(33)]
    [DataRow(1000)]
    public void Evaluate_LengthsAroundVectorWidth_ThenAllNoneAndKindMatchReference(int length)
    {
        using var trace = TraceGenerator.Generate(length, new TraceGeneratorOptions { Threads = 2, Anomalies = TraceAnomalies.Crash });
        Assert.AreEqual(length, trace.EventCount);
        Assert.AreEqual(length, Evaluate("all", new AllNode(), trace).Count);
        Assert.AreEqual(0, Evaluate("none", new NotNode(new AllNode()), trace).Count);
        var calls = Evaluate("calls", new KindTerm([EventKind.Call]), trace);
        var returns = Evaluate("returns", new KindTerm([EventKind.Return]), trace);
        var exceptions = Evaluate("exceptions", new KindTerm([EventKind.Exception]), trace);
        Assert.AreEqual(length, calls.Count + returns.Count + exceptions.Count);
        Assert.AreEqual(length, Evaluate("all kinds", new KindTerm([EventKind.Call, EventKind.Return, EventKind.Exception]), trace).Count);
    }

    [TestMethod]
    public void Evaluate_EmptyTrace_ThenEmptySelection()
    {
        using var trace = new TraceBuilder().Build();
        var selection = EventFilter.FromNode(new KindTerm([EventKind.Exception])).Evaluate(trace);
        Assert.AreEqual(0, selection.Length);
        Assert.AreEqual(0, selection.Count);
        Assert.AreEqual(0, selection.Indices().Count());
    }

    [TestMethod]
    public void Evaluate_LargeTraceAcrossParallelChunks_ThenEqualsReference()
    {
        using var trace = TraceGenerator.Generate(1_100_000, new TraceGeneratorOptions { Threads = 3, Anomalies = TraceAnomalies.All });
        var node = new AndNode(
            new NameTerm(NameField.Function, NamePatternKind.Glob, "*_block"),
            new OrNode(new DepthTerm(ComparisonOperator.GreaterOrEqual, 4), new KindTerm([EventKind.Return])));
        var selection = EventFilter.FromNode(node).Evaluate(trace);
        int expected = 0;
        for (int i = 0; i < trace.EventCount; i++)
        {
            string name = trace.GetFunctionName(trace.FunctionOrdinals[i]);
            if (name.EndsWith("_block", StringComparison.Ordinal) && (trace.Depths[i] >= 4 || trace.Kinds[i] == (byte)EventKind.Return))
                expected++;
        }
        Assert.AreEqual(expected, selection.Count);
        CollectionAssert.AreEqual(ScalarTwin.Evaluate(EventFilter.FromNode(node), trace).Words.ToArray(), selection.Words.ToArray());
    }

    [TestMethod]
    public void Evaluate_ErrorWord_ThenMatchesExceptionEventsAndNames()
    {
        using var trace = TraceGenerator.Generate(10_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.Crash });
        var selection = EventFilter.FromNode(new WordTerm("error", MatchesExceptions: true)).Evaluate(trace);
        Assert.AreEqual(1, selection.Count);
        int index = selection.Indices().Single();
        Assert.AreEqual((byte)EventKind.Exception, trace.Kinds[index]);
    }

    [TestMethod]
    public void Evaluate_ThreadAndTime_ThenRangesFromSortedTimestamps()
    {
        using var trace = TraceGenerator.Generate(4_000);
        var thread = trace.Threads[2];
        long mid = trace.Timestamps[thread.Start + 500] - trace.TimeStartNs;
        var node = new AndNode(new ThreadTerm([2]), new TimeTerm(mid, null));
        var selection = Evaluate("thread 2 after mid", node, trace);
        Assert.AreEqual(500, selection.Count);
        Assert.AreEqual(thread.Start + 500, selection.Indices().First());
    }

    [TestMethod]
    public void Evaluate_Duration_ThenOnlyReturnsClosingLongSpans()
    {
        using var trace = TraceGenerator.Generate(20_000, new TraceGeneratorOptions { Anomalies = TraceAnomalies.Hang });
        var selection = Evaluate("duration > 1s", new DurationTerm(ComparisonOperator.Greater, 1_000_000_000), trace);
        Assert.IsTrue(selection.Count >= 1);
        foreach (int i in selection.Indices())
            Assert.AreEqual((byte)EventKind.Return, trace.Kinds[i]);
        Assert.IsTrue(selection.Indices().Any(i => trace.GetFunctionName(trace.FunctionOrdinals[i]) == "wait_for_lock"));
    }

    [TestMethod]
    public void Evaluate_LargeFunctionSet_ThenUsesLookupAndMatchesReference()
    {
        var builder = new TraceBuilder();
        for (uint s = 1; s <= 40; s++)
            builder.AddSymbol(new SymbolInfo(SymbolTable.MakeFunctionId(7, s), $"fn_{s:D2}"));
        for (int i = 0; i < 3_000; i++)
            builder.Add(new TraceEvent((ulong)(i + 1), SymbolTable.MakeFunctionId(7, (uint)(1 + (i * 7 % 40))), 0, EventKind.Call, (uint)(i + 1)));
        using var trace = builder.Build();
        Evaluate("fn_0* or fn_1* or fn_2*", new NameTerm(NameField.Function, NamePatternKind.Regex, "^fn_[0-2]"), trace);
        Evaluate("fn_3?", new NameTerm(NameField.Function, NamePatternKind.Glob, "fn_3?"), trace);
    }
}
