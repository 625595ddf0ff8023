using TraceQuery.Text;

namespace TraceQuery.Tests.Text;

[TestClass]
public sealed class GlobTests
{
    [TestMethod]
    [DataRow("parse_*", "parse_header", true)]
    [DataRow("PARSE_*", "parse_header", true)]
    [DataRow("MyApp.*", "myapp.orders", true)]
    [DataRow("*alloc*", "arena_alloc_slow", true)]
    [DataRow("p?rse", "parse", true)]
    [DataRow("p?rse", "prse", false)]
    [DataRow("parse", "parse_header", false)]
    [DataRow("*", "", true)]
    [DataRow("", "", true)]
    [DataRow("a*b*c", "aXbYc", true)]
    [DataRow("a*b*c", "aXbY", false)]
    [DataRow("kelvin", "\u212Aelvin", true)] // KELVIN SIGN folds to 'k' only when lower-cased
    public void IsMatch_ThenWholeNameIgnoringCase(string pattern, string text, bool expected) =>
        Assert.AreEqual(expected, Glob.IsMatch(pattern, text));

    [TestMethod]
    public void IsMatch_Symmetric_ThenSameEitherCaseOfPattern()
    {
        string[] names = ["straße", "STRASSE", "ıi", "İI", "ſs", "ǅ", "ǆ", "Ǆ"];
        foreach (string a in names)
        {
            foreach (string b in names)
                Assert.AreEqual(Glob.IsMatch(a.ToUpperInvariant(), b), Glob.IsMatch(a.ToLowerInvariant(), b), $"{a} vs {b}");
        }
    }
}
