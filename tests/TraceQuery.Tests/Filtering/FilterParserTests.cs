using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TraceQuery.Filtering;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Filtering;

[TestClass]
public sealed class FilterParserTests
{
    // ---- empty filter -------------------------------------------------------------------------------

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    [DataRow("\t \n")]
    public void Parse_EmptyOrWhitespace_ThenAllNode(string filter)
    {
        AssertTree(new AllNode { Column = 1 }, FilterParser.Parse(filter));
    }

    // ---- field terms --------------------------------------------------------------------------------

    [TestMethod]
    public void Parse_KindSingle_ThenKindTerm()
    {
        AssertTree(new KindTerm([EventKind.Exception]) { Column = 1 }, FilterParser.Parse("kind:exception"));
    }

    [TestMethod]
    [DataRow("kind:call,exception")]
    [DataRow("kind:call|exception")]
    [DataRow("KIND:Call,EXCEPTION")]
    [DataRow("kind=call|exception")]
    public void Parse_KindList_ThenAllKindsInOrder(string filter)
    {
        AssertTree(new KindTerm([EventKind.Call, EventKind.Exception]) { Column = 1 }, FilterParser.Parse(filter));
    }

    [TestMethod]
    public void Parse_KindAllThree_ThenThreeKinds()
    {
        AssertTree(new KindTerm([EventKind.Return, EventKind.Call, EventKind.Exception]) { Column = 1 }, FilterParser.Parse("kind:return,call|exception"));
    }

    [TestMethod]
    public void Parse_ThreadSingleAndList_ThenThreadIds()
    {
        AssertTree(new ThreadTerm([7u]) { Column = 1 }, FilterParser.Parse("thread:7"));
        AssertTree(new ThreadTerm([1u, 3u]) { Column = 1 }, FilterParser.Parse("thread:1,3"));
        AssertTree(new ThreadTerm([0u, 4294967295u]) { Column = 1 }, FilterParser.Parse("thread:0|4294967295"));
    }

    [TestMethod]
    public void Parse_FunctionGlob_ThenGlobNameTerm()
    {
        AssertTree(new NameTerm(NameField.Function, NamePatternKind.Glob, "parse*") { Column = 1 }, FilterParser.Parse("fn:parse*"));
        AssertTree(new NameTerm(NameField.Function, NamePatternKind.Glob, "std::vector<int>::push_back") { Column = 1 }, FilterParser.Parse("fn:std::vector<int>::push_back"));
        AssertTree(new NameTerm(NameField.Function, NamePatternKind.Glob, "a?c") { Column = 1 }, FilterParser.Parse("FN:a?c"));
    }

    [TestMethod]
    public void Parse_FunctionRegex_ThenRegexNameTerm()
    {
        AssertTree(new NameTerm(NameField.Function, NamePatternKind.Regex, "^parse_\\d+$") { Column = 1 }, FilterParser.Parse("fn:/^parse_\\d+$/"));
    }

    [TestMethod]
    public void Parse_ModuleGlobAndRegex_ThenModuleNameTerms()
    {
        AssertTree(new NameTerm(NameField.Module, NamePatternKind.Glob, "libc*") { Column = 1 }, FilterParser.Parse("module:libc*"));
        AssertTree(new NameTerm(NameField.Module, NamePatternKind.Regex, "^libssl\\.so") { Column = 1 }, FilterParser.Parse("module:/^libssl\\.so/"));
    }

    [TestMethod]
    public void Parse_QuotedModulePath_ThenGlobNotRegex()
    {
        AssertTree(new NameTerm(NameField.Module, NamePatternKind.Glob, "/usr/lib/libfoo.so") { Column = 1 }, FilterParser.Parse("module:\"/usr/lib/libfoo.so\""));
    }

    [TestMethod]
    public void Parse_QuotedFunctionWithSpace_ThenWholeName()
    {
        AssertTree(new NameTerm(NameField.Function, NamePatternKind.Glob, "my func") { Column = 1 }, FilterParser.Parse("fn:\"my func\""));
    }

    [TestMethod]
    [DataRow("depth:3", ComparisonOperator.Equal)]
    [DataRow("depth=3", ComparisonOperator.Equal)]
    [DataRow("depth==3", ComparisonOperator.Equal)]
    [DataRow("depth!=3", ComparisonOperator.NotEqual)]
    [DataRow("depth<3", ComparisonOperator.Less)]
    [DataRow("depth<=3", ComparisonOperator.LessOrEqual)]
    [DataRow("depth>3", ComparisonOperator.Greater)]
    [DataRow("depth>=3", ComparisonOperator.GreaterOrEqual)]
    public void Parse_DepthOperators_ThenComparison(string filter, ComparisonOperator op)
    {
        AssertTree(new DepthTerm(op, 3) { Column = 1 }, FilterParser.Parse(filter));
    }

    [TestMethod]
    public void Parse_DepthLargest_ThenUInt32Max()
    {
        AssertTree(new DepthTerm(ComparisonOperator.Less, uint.MaxValue) { Column = 1 }, FilterParser.Parse("depth<4294967295"));
    }

    [TestMethod]
    public void Parse_TimeRange_ThenFromInclusiveToExclusive()
    {
        AssertTree(new TimeTerm(1_500_000_000, 2_000_000_000) { Column = 1 }, FilterParser.Parse("time:1.5s..2s"));
    }

    [TestMethod]
    [DataRow("time:..2s", null, 2_000_000_000L)]
    [DataRow("time:1s..", 1_000_000_000L, null)]
    [DataRow("time:0ns..1ns", 0L, 1L)]
    public void Parse_TimeOpenRange_ThenNullEnd(string filter, long? from, long? to)
    {
        AssertTree(new TimeTerm(from, to) { Column = 1 }, FilterParser.Parse(filter));
    }

    [TestMethod]
    [DataRow("time>=1ms", 1_000_000L, null)]
    [DataRow("time>1ms", 1_000_001L, null)]
    [DataRow("time<5ms", null, 5_000_000L)]
    [DataRow("time<=5ms", null, 5_000_001L)]
    public void Parse_TimeComparison_ThenHalfOpenWindow(string filter, long? from, long? to)
    {
        AssertTree(new TimeTerm(from, to) { Column = 1 }, FilterParser.Parse(filter));
    }

    [TestMethod]
    [DataRow("7ns", 7L)]
    [DataRow("7us", 7_000L)]
    [DataRow("7µs", 7_000L)]
    [DataRow("7μs", 7_000L)]
    [DataRow("7ms", 7_000_000L)]
    [DataRow("7s", 7_000_000_000L)]
    [DataRow("7MS", 7_000_000L)]
    [DataRow("1.5s", 1_500_000_000L)]
    [DataRow("0.25ms", 250_000L)]
    [DataRow("2.000001ms", 2_000_001L)]
    [DataRow("1.5us", 1_500L)]
    [DataRow("0.000000001s", 1L)]
    [DataRow("9223372036.854775807s", long.MaxValue)]
    [DataRow("9223372036854775807ns", long.MaxValue)]
    public void Parse_TimeUnitsAndFractions_ThenExactNanoseconds(string quantity, long nanoseconds)
    {
        AssertTree(new TimeTerm(nanoseconds, null) { Column = 1 }, FilterParser.Parse("time>=" + quantity));
        AssertTree(new DurationTerm(ComparisonOperator.Greater, nanoseconds) { Column = 1 }, FilterParser.Parse("duration>" + quantity));
    }

    [TestMethod]
    [DataRow("duration>10ms", ComparisonOperator.Greater)]
    [DataRow("duration:10ms", ComparisonOperator.Equal)]
    [DataRow("duration=10ms", ComparisonOperator.Equal)]
    [DataRow("duration!=10ms", ComparisonOperator.NotEqual)]
    [DataRow("duration<10ms", ComparisonOperator.Less)]
    [DataRow("duration<=10ms", ComparisonOperator.LessOrEqual)]
    [DataRow("duration>=10ms", ComparisonOperator.GreaterOrEqual)]
    public void Parse_DurationOperators_ThenComparisonInNanoseconds(string filter, ComparisonOperator op)
    {
        AssertTree(new DurationTerm(op, 10_000_000) { Column = 1 }, FilterParser.Parse(filter));
    }

    [TestMethod]
    [DataRow("detail:yes", true)]
    [DataRow("detail:true", true)]
    [DataRow("detail:YES", true)]
    [DataRow("detail:no", false)]
    [DataRow("detail:false", false)]
    public void Parse_Detail_ThenHasDetail(string filter, bool hasDetail)
    {
        AssertTree(new DetailTerm(hasDetail) { Column = 1 }, FilterParser.Parse(filter));
    }

    // ---- words --------------------------------------------------------------------------------------

    [TestMethod]
    public void Parse_BareWord_ThenWordTermWithoutExceptions()
    {
        AssertTree(new WordTerm("flush", false) { Column = 1 }, FilterParser.Parse("flush"));
        AssertTree(new WordTerm("io.read_all", false) { Column = 1 }, FilterParser.Parse("io.read_all"));
    }

    [TestMethod]
    [DataRow("error")]
    [DataRow("errors")]
    [DataRow("exception")]
    [DataRow("crash")]
    [DataRow("fail")]
    [DataRow("failed")]
    [DataRow("ERROR")]
    [DataRow("Crash")]
    [DataRow("\"failed\"")]
    public void Parse_ExceptionWord_ThenMatchesExceptions(string filter)
    {
        var word = (WordTerm)FilterParser.Parse(filter);
        Assert.IsTrue(word.MatchesExceptions);
    }

    [TestMethod]
    [DataRow("errored")]
    [DataRow("failure")]
    [DataRow("crashes")]
    public void Parse_WordThatOnlyResemblesAnExceptionWord_ThenDoesNotMatchExceptions(string filter)
    {
        Assert.IsFalse(((WordTerm)FilterParser.Parse(filter)).MatchesExceptions);
    }

    [TestMethod]
    public void Parse_QuotedWordWithColon_ThenBareWordNotField()
    {
        AssertTree(new WordTerm("a:b", false) { Column = 1 }, FilterParser.Parse("\"a:b\""));
        AssertTree(new WordTerm("kind:call", false) { Column = 1 }, FilterParser.Parse("\"kind:call\""));
    }

    [TestMethod]
    public void Parse_QuotedKeyword_ThenWordNotOperator()
    {
        AssertTree(
            new AndNode(new WordTerm("and", false) { Column = 1 }, new WordTerm("OR", false) { Column = 7 }) { Column = 1 },
            FilterParser.Parse("\"and\" \"OR\""));
    }

    // ---- quoting, escapes, regex delimiters -----------------------------------------------------------

    [TestMethod]
    public void Parse_QuoteEscapes_ThenQuoteAndBackslashUnescaped()
    {
        AssertTree(new NameTerm(NameField.Function, NamePatternKind.Glob, "say \"hi\"") { Column = 1 }, FilterParser.Parse("fn:\"say \\\"hi\\\"\""));
        AssertTree(new WordTerm("back\\slash", false) { Column = 1 }, FilterParser.Parse("\"back\\\\slash\""));
    }

    [TestMethod]
    public void Parse_BackslashBeforeOtherCharacterInQuotes_ThenKeptLiterally()
    {
        AssertTree(new NameTerm(NameField.Module, NamePatternKind.Glob, "C:\\Windows\\kernel32.dll") { Column = 1 }, FilterParser.Parse("module:\"C:\\Windows\\kernel32.dll\""));
    }

    [TestMethod]
    public void Parse_RegexEscapedSlash_ThenPlainSlashInPattern()
    {
        AssertTree(new NameTerm(NameField.Module, NamePatternKind.Regex, "^/usr/lib/") { Column = 1 }, FilterParser.Parse("module:/^\\/usr\\/lib\\//"));
    }

    [TestMethod]
    public void Parse_RegexOtherEscapes_ThenKeptForTheRegex()
    {
        AssertTree(new NameTerm(NameField.Function, NamePatternKind.Regex, "a\\\\") { Column = 1 }, FilterParser.Parse("fn:/a\\\\/"));
        AssertTree(new NameTerm(NameField.Function, NamePatternKind.Regex, "\\d+\\.\\w") { Column = 1 }, FilterParser.Parse("fn:/\\d+\\.\\w/"));
    }

    [TestMethod]
    public void Parse_SlashOutsideNameFields_ThenPartOfBareWord()
    {
        AssertTree(new WordTerm("/usr/lib", false) { Column = 1 }, FilterParser.Parse("/usr/lib"));
    }

    // ---- operators, precedence, columns ----------------------------------------------------------------

    [TestMethod]
    public void Parse_OrThenJuxtaposition_ThenAndBindsTighter()
    {
        // a or b c  =  a or (b and c)
        AssertTree(
            new OrNode(W("a", 1), new AndNode(W("b", 6), W("c", 8)) { Column = 6 }) { Column = 1 },
            FilterParser.Parse("a or b c"));
    }

    [TestMethod]
    public void Parse_NotThenJuxtaposition_ThenNotBindsTighter()
    {
        // not a b  =  (not a) and b
        AssertTree(
            new AndNode(new NotNode(W("a", 5)) { Column = 1 }, W("b", 7)) { Column = 1 },
            FilterParser.Parse("not a b"));
    }

    [TestMethod]
    public void Parse_AndOrMix_ThenAndGroupsFirst()
    {
        // a and b or c and d  =  (a and b) or (c and d)
        AssertTree(
            new OrNode(new AndNode(W("a", 1), W("b", 7)) { Column = 1 }, new AndNode(W("c", 12), W("d", 18)) { Column = 12 }) { Column = 1 },
            FilterParser.Parse("a and b or c and d"));
    }

    [TestMethod]
    public void Parse_ChainsOfSameOperator_ThenLeftAssociative()
    {
        AssertTree(new OrNode(new OrNode(W("a", 1), W("b", 6)) { Column = 1 }, W("c", 11)) { Column = 1 }, FilterParser.Parse("a or b or c"));
        AssertTree(new AndNode(new AndNode(W("a", 1), W("b", 3)) { Column = 1 }, W("c", 9)) { Column = 1 }, FilterParser.Parse("a b and c"));
    }

    [TestMethod]
    public void Parse_Parentheses_ThenOverridePrecedence()
    {
        // (a or b) c: the group's node starts inside the parenthesis, the and at it.
        AssertTree(
            new AndNode(new OrNode(W("a", 2), W("b", 7)) { Column = 2 }, W("c", 10)) { Column = 1 },
            FilterParser.Parse("(a or b) c"));
    }

    [TestMethod]
    public void Parse_KeywordsInAnyCase_ThenOperators()
    {
        Assert.AreEqual("(not a and b) or c", FilterParser.Format(FilterParser.Parse("NOT a AnD b Or c")));
    }

    [TestMethod]
    public void Parse_SymbolOperators_ThenSameAsKeywords()
    {
        AssertSameIgnoringColumns(FilterParser.Parse("not a and b or c"), FilterParser.Parse("!a && b || c"));
        AssertSameIgnoringColumns(FilterParser.Parse("kind:call or kind:return"), FilterParser.Parse("kind:call||kind:return"));
        AssertSameIgnoringColumns(FilterParser.Parse("fn:a and fn:b"), FilterParser.Parse("fn:a&&fn:b"));
        AssertSameIgnoringColumns(FilterParser.Parse("not (a or b)"), FilterParser.Parse("!(a||b)"));
    }

    [TestMethod]
    public void Parse_FieldTermsCombined_ThenColumnsOfEachTerm()
    {
        AssertTree(
            new AndNode(
                new AndNode(new KindTerm([EventKind.Return]) { Column = 1 }, new DurationTerm(ComparisonOperator.Greater, 10_000_000) { Column = 13 }) { Column = 1 },
                new NotNode(new NameTerm(NameField.Function, NamePatternKind.Glob, "my func") { Column = 31 }) { Column = 27 })
            { Column = 1 },
            FilterParser.Parse("kind:return duration>10ms not fn:\"my func\""));
    }

    [TestMethod]
    public void Parse_NestedParentheses_ThenInnermostColumn()
    {
        AssertTree(new NotNode(W("x", 9)) { Column = 5 }, FilterParser.Parse("  ((not x))"));
    }

    // ---- TryParse -------------------------------------------------------------------------------------

    [TestMethod]
    public void TryParse_ValidFilter_ThenNodeAndNoError()
    {
        Assert.IsTrue(FilterParser.TryParse("kind:call", out FilterNode? node, out FilterSyntaxException? error));
        Assert.IsNull(error);
        AssertTree(new KindTerm([EventKind.Call]) { Column = 1 }, node);
    }

    [TestMethod]
    public void TryParse_MalformedFilter_ThenErrorWithColumnAndNoNode()
    {
        Assert.IsFalse(FilterParser.TryParse("kind:call and", out FilterNode? node, out FilterSyntaxException? error));
        Assert.IsNull(node);
        Assert.AreEqual(14, error.Column);
        Assert.AreEqual("kind:call and", error.Filter);
    }

    [TestMethod]
    public void Parse_Null_ThenArgumentNullException()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => FilterParser.Parse(null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => FilterParser.TryParse(null!, out _, out _));
    }

    // ---- errors ---------------------------------------------------------------------------------------

    private static readonly string[] BadFilters =
    [
        "(kind:call or)",
        "()",
        ")",
        "a)",
        "(kind:call",
        "((a) or (b)",
        "a and",
        "not",
        "a or or b",
        "a | b",
        "a & b",
        "a!b",
        ":call",
        "!= 3",
        "knd:call",
        "std::vector",
        "kind:calls",
        "kind:call,",
        "kind!=call",
        "kind<call",
        "kind:",
        "thread:1,,3",
        "thread:x",
        "thread:4294967296",
        "fn:",
        "fn: parse",
        "fn:\"\"",
        "fn:\"abc",
        "module:\"C:\\dir\\\"",
        "fn:foo(int)",
        "fn:\"a\"b",
        "\"a\"b",
        "a \"\"",
        "time:1s..2s..3s",
        "fn:/abc",
        "fn:/(a/",
        "fn:/[z-a]/",
        "fn:/(a)\\1/",
        "fn:/(?<n>a)\\k<n>/",
        "fn:/(?<=a)b/",
        "fn:/a(?!b)/",
        "fn:/(?>a+)/",
        "fn:/((a{100}){100}){100}/",
        "fn:/abc/i",
        "depth>-1",
        "depth:3.5",
        "depth:99999999999",
        "depth: 3",
        "time:1s",
        "time:1..2s",
        "time:1s..2",
        "time:..",
        "time:2s..1s",
        "time:1s..1s",
        "time=1ms",
        "time!=1ms",
        "time>=-1ms",
        "time>=1.5ns",
        "time<10000000000s",
        "time<=9223372036854775807ns",
        "time>1.5.5s",
        "time>=5min",
        "time>=5 ms",
        "time>=12345678901234567890123456789ns",
        "duration>10",
        "duration>.5ms",
        "detail:maybe",
        "kind:call and detail:",
        ">> fn:write",
        "fn:flush >>",
        "fn:flush > )",
        "(fn:flush >> ) fn:write",
        "fn:flush >> or fn:write",
        "fn:flush > > fn:write",
        "fn:flush >>> fn:write",
        "fn:flush >>= fn:write",
        "fn:flush !>< fn:write",
        "fn:flush !>= fn:write",
        "not >> fn:write",
        "depth > 3",
        "dur > 10ms",
        "depth >= 3",
        "flush>>write",
        "fn:flush>>fn:write",
        "fn:flush!>>status:unwound",
        "kind > fn:write",
        "(fn:flush >> fn:write",
        "dur>10",
        "dur:",
        "self<=x",
        "self: 1ms",
        "dur:1ms..2ms",
        "status:done",
        "status:complete,",
        "status<complete",
        "status!=unwound",
        "status:",
    ];

    [TestMethod]
    public void Parse_BadFilters_ThenMessagesNameColumnAndExpectation()
    {
        var lines = new StringBuilder();
        foreach (string filter in BadFilters)
        {
            var e = Assert.ThrowsExactly<FilterSyntaxException>(() => FilterParser.Parse(filter), filter);
            Assert.AreEqual(filter, e.Filter);
            StringAssert.Contains(e.Message, "column " + e.Column.ToString(CultureInfo.InvariantCulture), filter);
            Assert.IsTrue(e.Column >= 1 && e.Column <= filter.Length + 1, filter);
            Assert.IsFalse(FilterParser.TryParse(filter, out _, out FilterSyntaxException? tried), filter);
            Assert.AreEqual(e.Message, tried.Message, filter);
            lines.Append(filter).Append(" → ").AppendLine(e.Message);
        }
        Snapshot.Verify(lines.ToString());
    }

    // ---- limits ---------------------------------------------------------------------------------------

    [TestMethod]
    public void Parse_FilterAtLengthLimit_ThenParses()
    {
        string filter = "a" + new string(' ', FilterParser.MaxFilterLength - 2) + "b";
        Assert.AreEqual(FilterParser.MaxFilterLength, filter.Length);
        AssertTree(new AndNode(W("a", 1), W("b", FilterParser.MaxFilterLength)) { Column = 1 }, FilterParser.Parse(filter));
    }

    [TestMethod]
    public void Parse_FilterOverLengthLimit_ThenTooLong()
    {
        var e = Assert.ThrowsExactly<FilterSyntaxException>(() => FilterParser.Parse(new string('a', FilterParser.MaxFilterLength + 1)));
        Assert.AreEqual(FilterParser.MaxFilterLength + 1, e.Column);
        StringAssert.Contains(e.Message, "filter is too long: 4097 characters, more than the limit of 4096");
    }

    [TestMethod]
    public void Parse_NestingAtLimit_ThenParses()
    {
        string parens = new string('(', FilterParser.MaxNesting) + "a" + new string(')', FilterParser.MaxNesting);
        AssertTree(W("a", FilterParser.MaxNesting + 1), FilterParser.Parse(parens));

        string nots = string.Concat(Enumerable.Repeat("not ", FilterParser.MaxNesting)) + "a";
        Assert.AreEqual(FilterParser.MaxNesting, CountNots(FilterParser.Parse(nots)));
    }

    [TestMethod]
    public void Parse_ParenthesesDeeperThanLimit_ThenNestingError()
    {
        string filter = new string('(', FilterParser.MaxNesting + 1) + "a" + new string(')', FilterParser.MaxNesting + 1);
        var e = Assert.ThrowsExactly<FilterSyntaxException>(() => FilterParser.Parse(filter));
        Assert.AreEqual(FilterParser.MaxNesting + 1, e.Column);
        Assert.AreEqual("nesting deeper than 64 levels at column 65 (each '(' and 'not' is a level); simplify the filter", e.Message);
    }

    [TestMethod]
    public void Parse_NotChainDeeperThanLimit_ThenNestingError()
    {
        string filter = new string('!', 1000) + "a";
        var e = Assert.ThrowsExactly<FilterSyntaxException>(() => FilterParser.Parse(filter));
        Assert.AreEqual(FilterParser.MaxNesting + 1, e.Column);
    }

    [TestMethod]
    public void Parse_LongJuxtapositionChain_ThenParsesWithoutNestingLimit()
    {
        string filter = string.Join(' ', Enumerable.Repeat("a", 2000));
        FilterNode node = FilterParser.Parse(filter);
        Assert.AreEqual(filter.Replace(" ", " and ", StringComparison.Ordinal), FilterParser.Format(node));
    }

    [TestMethod]
    public void Parse_RegexAtLengthLimit_ThenParses()
    {
        string pattern = new('a', FilterParser.MaxRegexLength);
        AssertTree(new NameTerm(NameField.Function, NamePatternKind.Regex, pattern) { Column = 1 }, FilterParser.Parse("fn:/" + pattern + "/"));
    }

    [TestMethod]
    public void Parse_RegexOverLengthLimit_ThenTooLong()
    {
        var e = Assert.ThrowsExactly<FilterSyntaxException>(() => FilterParser.Parse("fn:/" + new string('a', FilterParser.MaxRegexLength + 1) + "/"));
        Assert.AreEqual(4, e.Column);
        Assert.AreEqual("regex at column 4 is 1001 characters long; the limit is 1000", e.Message);
    }

    [TestMethod]
    public void Parse_CatastrophicBacktrackingPattern_ThenParsesAndMatchesLinearly()
    {
        var term = (NameTerm)FilterParser.Parse("fn:/(a+)+$/");
        Assert.AreEqual(NamePatternKind.Regex, term.Kind);
        Assert.AreEqual("(a+)+$", term.Pattern);

        // A backtracking engine takes exponential time here; NonBacktracking answers in one linear pass. The
        // timeout is generous because shared CI machines are noisy: the point is that it finishes at all.
        var regex = new Regex(term.Pattern, RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(30));
        Assert.IsFalse(regex.IsMatch(new string('a', 100_000) + "!"));
    }

    // ---- Format ---------------------------------------------------------------------------------------

    private static readonly string[] FormatExamples =
    [
        "",
        "kind:call|exception",
        "KIND:Return thread:3|1",
        "fn:parse* or module:\"/usr/lib/libfoo.so\"",
        "fn:\"my func\" module:/^\\/usr\\//",
        "fn:/a\\\\/",
        "\"a:b\" \"and\" error",
        "\"say \\\"hi\\\"\"",
        "depth:3 depth==3 depth!=3 depth<3 depth<=3 depth>3 depth>=3",
        "time:1.5s..2s",
        "time:..2000ms",
        "time:1000000ns..",
        "time>1ms time<=5ms",
        "time>=1234567ns time>=1234us time>=0.5us time>=9223372036.854775807s",
        "duration:5ms duration>1.25s duration<=999ns duration>=0s",
        "detail:true detail:FALSE",
        "a or b c",
        "not a b",
        "not (a b)",
        "(a or b) c",
        "a or (b or c)",
        "(a and b) and c",
        "a and (b and c)",
        "!!a",
        "not (not a or b)",
        "((a))",
        "a && b || !c",
        "a or b or c and d",
        "time>=0ns time<1ns time>2s time<=3s time>=999.999us",
    ];

    [TestMethod]
    public void Format_Examples_ThenCanonicalText()
    {
        var lines = new StringBuilder();
        foreach (string filter in FormatExamples)
            lines.Append(filter).Append(" → ").AppendLine(FilterParser.Format(FilterParser.Parse(filter)));
        Snapshot.Verify(lines.ToString());
    }

    [TestMethod]
    public void Format_ThenParse_ThenSameTreeForEveryExample()
    {
        foreach (string filter in FormatExamples)
        {
            FilterNode parsed = FilterParser.Parse(filter);
            string text = FilterParser.Format(parsed);
            AssertSameIgnoringColumns(parsed, FilterParser.Parse(text), filter);
            Assert.AreEqual(text, FilterParser.Format(FilterParser.Parse(text)), filter);
        }
    }

    [TestMethod]
    public void Format_RandomTrees_ThenParseGivesSameTreeAndSameText()
    {
        var random = new Random(20_240_611);
        for (int i = 0; i < 500; i++)
        {
            FilterNode tree = RandomTree(random, depth: random.Next(0, 6));
            string text = FilterParser.Format(tree);
            FilterNode parsed;
            try
            {
                parsed = FilterParser.Parse(text);
            }
            catch (FilterSyntaxException e)
            {
                Assert.Fail($"tree #{i} formatted as {text} does not parse: {e.Message}");
                throw;
            }
            AssertSameIgnoringColumns(tree, parsed, text);
            Assert.AreEqual(text, FilterParser.Format(parsed), $"tree #{i}");
        }
    }

    [TestMethod]
    public void Format_AllNodeInsideAnotherNode_ThenArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => FilterParser.Format(new NotNode(new AllNode())));
    }

    [TestMethod]
    public void Format_TreesWithoutTextForm_ThenArgumentException()
    {
        Assert.ThrowsExactly<ArgumentException>(() => FilterParser.Format(new KindTerm([])));
        Assert.ThrowsExactly<ArgumentException>(() => FilterParser.Format(new NameTerm(NameField.Function, NamePatternKind.Glob, "")));
        Assert.ThrowsExactly<ArgumentException>(() => FilterParser.Format(new WordTerm("flush", MatchesExceptions: true)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FilterParser.Format(new TimeTerm(-1, null)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => FilterParser.Format(new KindTerm([(EventKind)9])));
    }

    [TestMethod]
    public void Format_TimeWithoutBounds_ThenFromTraceStart()
    {
        Assert.AreEqual("time>=0ns", FilterParser.Format(new TimeTerm(null, null)));
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static WordTerm W(string word, int column) => new(word, false) { Column = column };

    private static int CountNots(FilterNode node)
    {
        int count = 0;
        while (node is NotNode not)
        {
            count++;
            node = not.Operand;
        }
        return count;
    }

    /// <summary>Compares trees including columns; lists by content (records compare lists by reference).</summary>
    private static void AssertTree(FilterNode expected, FilterNode? actual) =>
        Assert.AreEqual(Dump(expected, columns: true), actual is null ? "null" : Dump(actual, columns: true));

    private static void AssertSameIgnoringColumns(FilterNode expected, FilterNode actual, string? context = null) =>
        Assert.AreEqual(Dump(expected, columns: false), Dump(actual, columns: false), context);

    private static string Dump(FilterNode node, bool columns)
    {
        var text = new StringBuilder();
        Write(node);
        return text.ToString();

        void Write(FilterNode n)
        {
            text.Append(n.GetType().Name);
            if (columns)
                text.Append('@').Append(n.Column.ToString(CultureInfo.InvariantCulture));
            text.Append('(');
            switch (n)
            {
                case AndNode and:
                    Write(and.Left);
                    text.Append(", ");
                    Write(and.Right);
                    break;
                case OrNode or:
                    Write(or.Left);
                    text.Append(", ");
                    Write(or.Right);
                    break;
                case NotNode not:
                    Write(not.Operand);
                    break;
                case KindTerm kind:
                    text.AppendJoin(',', kind.Kinds);
                    break;
                case ThreadTerm thread:
                    text.AppendJoin(',', thread.ThreadIds);
                    break;
                case NameTerm name:
                    text.Append(name.Field).Append(", ").Append(name.Kind).Append(", «").Append(name.Pattern).Append('»');
                    break;
                case WordTerm word:
                    text.Append('«').Append(word.Word).Append("», ").Append(word.MatchesExceptions);
                    break;
                case DepthTerm depth:
                    text.Append(depth.Op).Append(", ").Append(depth.Value.ToString(CultureInfo.InvariantCulture));
                    break;
                case TimeTerm time:
                    text.Append(time.FromNs?.ToString(CultureInfo.InvariantCulture) ?? "null").Append("..").Append(time.ToNs?.ToString(CultureInfo.InvariantCulture) ?? "null");
                    break;
                case DurationTerm duration:
                    text.Append(duration.Op).Append(", ").Append(duration.Nanoseconds.ToString(CultureInfo.InvariantCulture));
                    break;
                case DetailTerm detail:
                    text.Append(detail.HasDetail);
                    break;
                case SpanRelationNode relation:
                    text.Append(relation.Relation).Append(", ");
                    Write(relation.Outer);
                    text.Append(", ");
                    Write(relation.Inner);
                    break;
                case SpanDurationTerm duration:
                    text.Append(duration.Op).Append(", ").Append(duration.Nanoseconds.ToString(CultureInfo.InvariantCulture));
                    break;
                case SelfTimeTerm self:
                    text.Append(self.Op).Append(", ").Append(self.Nanoseconds.ToString(CultureInfo.InvariantCulture));
                    break;
                case SpanStatusTerm status:
                    text.AppendJoin(',', status.Statuses);
                    break;
                case AllNode:
                    break;
                default:
                    throw new InvalidOperationException("unknown node " + n.GetType().Name);
            }
            text.Append(')');
        }
    }

    // ---- random trees for the round-trip property ----------------------------------------------------

    private static readonly string[] Words =
    [
        "flush", "parse_header", "io.read", "a:b", "my func", "and", "OR", "Not", "error", "Crash", "FAILED",
        "say \"hi\"", "back\\slash", "trail\\", "x&&y", "a|b", "a&b", "(paren)", "std::vector<int>", "/usr/lib",
        "µs", "*", "a!b", "kind", "time", "ends with space ", "tab\there", "=", "42", "dur", "status", ">>", "!>", "a>b",
    ];

    private static readonly string[] Globs =
    [
        "parse*", "*flush*", "a?c", "std::vector<int>::push_back", "my func", "/usr/lib/libfoo.so", "\"lead",
        "a||b", "a&&b", "a|b", "op(int)", "back\\slash", "C:\\Windows\\*.dll", "x,y", "ünïcode", "!", "a:b", "trail\\", "a>>fn:b", "vector<vector<int>>::size",
    ];

    private static readonly string[] Regexes =
    [
        "^parse", "a/b", "\\d+", "(foo|bar)$", "\\\\", "[a-z]+\\.so", "x{2,3}", "^/usr/lib/",
        "\"quoted\"", "(?i)MiXeD", "a b", "[/]",
    ];

    private static readonly ComparisonOperator[] Comparisons = Enum.GetValues<ComparisonOperator>();

    private static FilterNode RandomTree(Random random, int depth)
    {
        if (depth > 0)
        {
            switch (random.Next(6))
            {
                case 3:
                    return new SpanRelationNode((SpanRelation)random.Next(4), RandomTree(random, depth - 1), RandomTree(random, depth - 1));
                case 0:
                    return new AndNode(RandomTree(random, depth - 1), RandomTree(random, depth - 1));
                case 1:
                    return new OrNode(RandomTree(random, depth - 1), RandomTree(random, depth - 1));
                case 2:
                    return new NotNode(RandomTree(random, depth - 1));
            }
        }
        return RandomTerm(random);
    }

    private static FilterNode RandomTerm(Random random)
    {
        switch (random.Next(12))
        {
            case 9:
                return new SpanDurationTerm(Comparisons[random.Next(Comparisons.Length)], RandomNanoseconds(random));
            case 10:
                return new SelfTimeTerm(Comparisons[random.Next(Comparisons.Length)], RandomNanoseconds(random));
            case 11:
                {
                    var statuses = new SpanStatus[random.Next(1, 4)];
                    for (int i = 0; i < statuses.Length; i++)
                        statuses[i] = (SpanStatus)random.Next(0, 4);
                    return new SpanStatusTerm(statuses);
                }
            case 0:
                {
                    var kinds = new EventKind[random.Next(1, 4)];
                    for (int i = 0; i < kinds.Length; i++)
                        kinds[i] = (EventKind)random.Next(1, 4);
                    return new KindTerm(kinds);
                }
            case 1:
                {
                    var ids = new uint[random.Next(1, 4)];
                    for (int i = 0; i < ids.Length; i++)
                        ids[i] = random.Next(4) == 0 ? uint.MaxValue : (uint)random.Next(0, 100);
                    return new ThreadTerm(ids);
                }
            case 2:
                {
                    NameField field = random.Next(2) == 0 ? NameField.Function : NameField.Module;
                    return random.Next(2) == 0
                        ? new NameTerm(field, NamePatternKind.Glob, Globs[random.Next(Globs.Length)])
                        : new NameTerm(field, NamePatternKind.Regex, Regexes[random.Next(Regexes.Length)]);
                }
            case 3:
                {
                    string word = Words[random.Next(Words.Length)];
                    return new WordTerm(word, word.ToLowerInvariant() is "error" or "errors" or "exception" or "crash" or "fail" or "failed");
                }
            case 4:
                return new DepthTerm(Comparisons[random.Next(Comparisons.Length)], random.Next(4) == 0 ? uint.MaxValue : (uint)random.Next(0, 50));
            case 5:
                {
                    long a = RandomNanoseconds(random), b = RandomNanoseconds(random);
                    return random.Next(3) switch
                    {
                        0 => new TimeTerm(a, null),
                        1 => new TimeTerm(null, a),
                        _ => a == b ? new TimeTerm(a, null) : new TimeTerm(Math.Min(a, b), Math.Max(a, b)),
                    };
                }
            case 6:
                return new DurationTerm(Comparisons[random.Next(Comparisons.Length)], RandomNanoseconds(random));
            case 7:
                return new DetailTerm(random.Next(2) == 0);
            default:
                return new WordTerm(Words[random.Next(3)], false);
        }
    }

    /// <summary>Nanosecond values of every magnitude, often round (1.5 s) and sometimes extreme.</summary>
    private static long RandomNanoseconds(Random random) => random.Next(6) switch
    {
        0 => 0,
        1 => long.MaxValue,
        2 => random.NextInt64(0, 1_000) * 1_000_000,
        3 => random.NextInt64(0, 100) * 500_000_000,
        4 => random.NextInt64(0, 10_000),
        _ => random.NextInt64(0, long.MaxValue) / (long)Math.Pow(10, random.Next(0, 18)),
    };
}
