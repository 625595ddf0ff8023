using System.Text;
using CsCheck;
using TraceQuery.Filtering;
using TraceQuery.Fuzz;

namespace TraceQuery.Tests.Reliability;

/// <summary>Random filter strings only parse (and then read back from their canonical form) or give a FilterSyntaxException.</summary>
[TestClass]
public sealed class FilterPropertyTests
{
    public TestContext TestContext { get; set; } = null!;

    private static readonly string[] Tokens =
    [
        "kind", "thread", "fn", "module", "depth", "time", "duration", "detail", ":", "=", "!=", "<", "<=", ">", ">=",
        "call", "return", "exception", "yes", "no", ",", "|", "..", "(", ")", "not", "!", "and", "or", "&&", "||",
        "\"", "\\", "/", "/^p.*$/", "*", "?", "[", "]", "error", "crash", "parse_*", "0", "1", "3", "-1", "1.5",
        "99999999999999999999999999999", "10ms", "1.5s", "500us", "7ns", "s", "ms", "1e9", "'", "\t", "🙂", "\u0000", "\ud800", "é",
    ];

    private static readonly Gen<string> TokenSoup =
        Gen.Select(Gen.Int[0, Tokens.Length - 1], Gen.OneOf(Gen.Const(""), Gen.Const(" "), Gen.Const("  ")))
            .Array[0, 24]
            .Select(parts => string.Concat(parts.Select(p => Tokens[p.Item1] + p.Item2)));

    private static readonly Gen<string> Filters = Gen.Frequency(
        (6, TokenSoup),
        (2, Gen.String[Gen.Char["kindthrea:fnmoduldp<>=!()\"/*?., 0123456789"], 0, 40]),
        (1, Gen.String),
        (1, Gen.Int[0, 200].Select(n => new string('(', n) + "error" + new string(')', n))),
        (1, Gen.Int[1, 3].Select(k => "fn:/" + new string('a', 400 * k) + "/")));

    [TestMethod]
    public void Parse_RandomFilterStrings_ThenParsesAndReadsBackOrFilterSyntaxException()
    {
        var tally = new Property.Tally();
        Property.ForAll(Filters, 2_000, 0x5EED_0003, text => tally.Add(FuzzTargets.Filter(Encoding.UTF8.GetBytes(text))), text => "`" + text + "`");
        TestContext.WriteLine("filters: " + tally);
        Assert.IsGreaterThan(200, tally[FuzzOutcome.Accepted], tally.ToString());
        Assert.IsGreaterThan(200, tally[FuzzOutcome.Rejected], tally.ToString());
    }

    [TestMethod]
    public void Parse_OverLongFilterOrRegexOrNesting_ThenFilterSyntaxExceptionNamesTheLimit()
    {
        var longFilter = Assert.ThrowsExactly<FilterSyntaxException>(() => EventFilter.Parse(new string('x', FilterParser.MaxFilterLength + 1)));
        StringAssert.Contains(longFilter.Message, "too long");
        var longRegex = Assert.ThrowsExactly<FilterSyntaxException>(() => EventFilter.Parse("fn:/" + new string('a', FilterParser.MaxRegexLength + 1) + "/"));
        StringAssert.Contains(longRegex.Message, FilterParser.MaxRegexLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var deep = Assert.ThrowsExactly<FilterSyntaxException>(() => EventFilter.Parse(new string('(', FilterParser.MaxNesting + 1) + "error" + new string(')', FilterParser.MaxNesting + 1)));
        StringAssert.Contains(deep.Message, "nesting deeper than");
    }
}
