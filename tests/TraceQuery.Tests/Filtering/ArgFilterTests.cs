using TraceQuery.Filtering;
using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Filtering;

/// <summary>The <c>arg</c> term: span attributes (Chrome args, OTLP attributes) selected by a glob, with or without a key.</summary>
[TestClass]
public sealed class ArgFilterTests
{
    private static readonly Lazy<ExecutionTrace> Clang14 = new(() => TraceFile.Open(RealTraceFiles.PathOf("clang14-ftime-trace-config_parser.json")));

    [TestMethod]
    [DataRow("arg.path:*types.ts", "arg.path:*types.ts", "path")]
    [DataRow("arg:*Windows.h*", "arg:*Windows.h*", null)]
    [DataRow("ARG.Data.Url:\"*a b*\"", "arg.Data.Url:\"*a b*\"", "Data.Url")]
    [DataRow("arg.detail=*.h", "arg.detail:*.h", "detail")]
    public void Parse_ArgTerms_ThenKeyAndPatternAndCanonicalText(string filter, string canonical, string? key)
    {
        var node = FilterParser.Parse(filter);
        var arg = (ArgTerm)node;
        Assert.AreEqual(key, arg.Key);
        Assert.AreEqual(canonical, FilterParser.Format(node));
        Assert.AreEqual(node with { Column = 0 }, FilterParser.Parse(canonical) with { Column = 0 }, "the canonical text parses back to the same term");
    }

    [TestMethod]
    public void Parse_ArgWithoutValueOrWithComparison_ThenErrorsNameTheColumn()
    {
        var missing = Assert.ThrowsExactly<FilterSyntaxException>(() => FilterParser.Parse("arg.path:"));
        StringAssert.Contains(missing.Message, "a glob over attribute values such as *types.ts");
        var compared = Assert.ThrowsExactly<FilterSyntaxException>(() => FilterParser.Parse("arg.count>3"));
        StringAssert.Contains(compared.Message, "'>' after 'arg'");
        Assert.AreEqual(10, compared.Column);
    }

    [TestMethod]
    public void Evaluate_ArgKeyGlobOnClang_ThenExactlyTheSourceSpanOfThatHeader()
    {
        var trace = Clang14.Value;
        var selection = EventFilter.Parse("arg.detail:*features.h").Evaluate(trace);
        Assert.AreEqual(1, selection.Count, "one X record has args.detail ending in features.h");
        int e = Enumerable.Range(0, trace.EventCount).Single(selection.Contains);
        Assert.AreEqual((byte)EventKind.Call, trace.Kinds[e]);
        Assert.AreEqual("Source", trace.GetFunctionName(trace.FunctionOrdinals[e]));
    }

    [TestMethod]
    public void Evaluate_ArgAnyValueAndKeyCase_ThenCountsMatchTheFileAndKeysIgnoreCase()
    {
        var trace = Clang14.Value;
        // 1,248 X records hold a value containing "regex" (all of them under 'detail'), counted from the file with Python.
        Assert.AreEqual(1_248, EventFilter.Parse("arg:*regex*").Evaluate(trace).Count);
        Assert.AreEqual(1_248, EventFilter.Parse("arg.DETAIL:*REGEX*").Evaluate(trace).Count);
        Assert.AreEqual(0, EventFilter.Parse("arg.nokey:*").Evaluate(trace).Count);
        Assert.AreEqual(1_248, EventFilter.Parse("arg:*regex* and kind:call").Evaluate(trace).Count, "only CALLs are selected");
    }

    [TestMethod]
    public void Evaluate_ArgOnATraceWithoutAttributes_ThenNothingAndNoScan()
    {
        using var trace = new TraceBuilder().AddSpan(new SpanRecord { SpanId = 1, ThreadId = 0, FunctionId = 0x100000001, StartNs = 1, EndNs = 2 }).Build();
        Assert.AreEqual(0, EventFilter.Parse("arg:*").Evaluate(trace).Count);
        Assert.AreEqual(2, EventFilter.Parse("not arg:*").Evaluate(trace).Count);
    }
}
