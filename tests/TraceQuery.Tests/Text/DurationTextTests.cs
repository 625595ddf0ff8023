using TraceQuery.Text;

namespace TraceQuery.Tests.Text;

[TestClass]
public sealed class DurationTextTests
{
    [TestMethod]
    [DataRow("1ns", 1L)]
    [DataRow("1.5us", 1_500L)]
    [DataRow("1.5µs", 1_500L)] // U+00B5 MICRO SIGN
    [DataRow("1.5μs", 1_500L)] // U+03BC GREEK SMALL LETTER MU
    [DataRow("2MS", 2_000_000L)]
    [DataRow("0.25s", 250_000_000L)]
    [DataRow("0s", 0L)]
    public void TryParse_UnitsBothMicroSigns_ThenExactNanoseconds(string text, long expected)
    {
        Assert.AreEqual(DurationText.Problem.None, DurationText.TryParse(text, out long ns, out _));
        Assert.AreEqual(expected, ns);
    }

    [TestMethod]
    [DataRow("", "NoNumber", 0)]
    [DataRow("ms", "NoNumber", 0)]
    [DataRow("15", "NoUnit", 2)]
    [DataRow("15xs", "UnknownUnit", 2)]
    [DataRow("15ms!", "TrailingText", 4)]
    [DataRow("0.5ns", "Fractional", 0)]
    [DataRow("10000000000s", "TooLarge", 0)]
    [DataRow("12345678901234567890123456789ns", "TooManyDigits", 0)]
    public void TryParse_BadText_ThenProblemAndOffset(string text, string problem, int offset)
    {
        Assert.AreEqual(Enum.Parse<DurationText.Problem>(problem), DurationText.TryParse(text, out _, out int at));
        Assert.AreEqual(offset, at);
    }

    [TestMethod]
    public void TryParse_BareInteger_ThenNanosecondsOnlyWhenAllowed()
    {
        Assert.IsTrue(DurationText.TryParse(" 1500 ", out long ns, allowBareNanoseconds: true));
        Assert.AreEqual(1500L, ns);
        Assert.IsFalse(DurationText.TryParse("1500", out _));
        Assert.IsFalse(DurationText.TryParse("1.5", out _, allowBareNanoseconds: true));
    }

    [TestMethod]
    [DataRow(0L, "0ns")]
    [DataRow(999L, "999ns")]
    [DataRow(1_500L, "1.5us")]
    [DataRow(1_500_000_000L, "1.5s")]
    [DataRow(long.MaxValue, "9223372036.854775807s")]
    public void FormatExact_ThenRoundTrips(long ns, string expected)
    {
        string text = DurationText.FormatExact(ns);
        Assert.AreEqual(expected, text);
        Assert.IsTrue(DurationText.TryParse(text, out long back));
        Assert.AreEqual(ns, back);
    }
}
