using System.Globalization;
using System.Text;

namespace TraceQuery.Text;

/// <summary>
/// The one reader and exact writer of time quantities such as <c>1.5ms</c>: a decimal number and a unit
/// (<c>ns</c>, <c>us</c>, <c>µs</c> U+00B5, <c>μs</c> U+03BC, <c>ms</c>, <c>s</c>; any case), converted exactly to
/// whole nanoseconds with decimal arithmetic. The filter language wraps it with column-precise errors; the protocol
/// and the scoped search use <see cref="TryParse(string, out long, bool)"/>. Human-readable rounding for answers is
/// <see cref="TextFormat.Duration"/>; <see cref="FormatExact"/> round-trips.
/// </summary>
internal static class DurationText
{
    /// <summary>decimal holds 28 significant digits exactly; longer numbers would be rounded silently.</summary>
    public const int MaxDigits = 28;

    /// <summary>The units, as listed in messages.</summary>
    public const string UnitList = "ns, us (or µs), ms, s";

    /// <summary>Nanoseconds per <paramref name="unit"/>, or 0 when it is not a known unit.</summary>
    public static long NanosecondsPer(ReadOnlySpan<char> unit)
    {
        if (unit.Length == 1)
            return unit[0] is 's' or 'S' ? 1_000_000_000 : 0;
        if (unit.Length != 2 || unit[1] is not ('s' or 'S'))
            return 0;
        return unit[0] switch
        {
            'n' or 'N' => 1,
            'u' or 'U' or 'µ' or 'μ' or 'Μ' => 1_000,
            'm' or 'M' => 1_000_000,
            _ => 0,
        };
    }

    /// <summary>How a duration text failed to parse, for callers that word their own errors.</summary>
    public enum Problem
    {
        /// <summary>Parsed.</summary>
        None,
        /// <summary>No digits where the number should start.</summary>
        NoNumber,
        /// <summary>A number without a unit (and <c>allowBareNanoseconds</c> was false).</summary>
        NoUnit,
        /// <summary>Letters after the number that are not a unit.</summary>
        UnknownUnit,
        /// <summary>Characters after the unit.</summary>
        TrailingText,
        /// <summary>More than <see cref="MaxDigits"/> digits.</summary>
        TooManyDigits,
        /// <summary>Above <see cref="long.MaxValue"/> nanoseconds (about 292 years).</summary>
        TooLarge,
        /// <summary>Not a whole number of nanoseconds (e.g. <c>0.5ns</c>).</summary>
        Fractional,
    }

    /// <summary>
    /// Parses all of <paramref name="text"/> (no surrounding spaces) into nanoseconds. <paramref name="offset"/> is
    /// where the problem starts (the unit for unit problems, the first extra character for trailing text).
    /// A bare integer is nanoseconds when <paramref name="allowBareNanoseconds"/> is true.
    /// </summary>
    public static Problem TryParse(ReadOnlySpan<char> text, out long nanoseconds, out int offset, bool allowBareNanoseconds = false)
    {
        nanoseconds = 0;
        offset = 0;
        int i = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
            i++;
        if (i == 0)
            return Problem.NoNumber;
        if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
                i++;
        }
        var number = text[..i];
        int unitStart = i;
        while (i < text.Length && char.IsLetter(text[i]))
            i++;
        var unit = text[unitStart..i];
        offset = unitStart;
        long perUnit;
        if (unit.Length == 0)
        {
            if (i < text.Length)
                return Problem.UnknownUnit;
            if (!allowBareNanoseconds || number.Contains('.'))
                return Problem.NoUnit;
            perUnit = 1;
        }
        else
        {
            perUnit = NanosecondsPer(unit);
            if (perUnit == 0)
                return Problem.UnknownUnit;
        }
        if (i < text.Length)
        {
            offset = i;
            return Problem.TrailingText;
        }
        offset = 0;
        if (number.Length - (number.Contains('.') ? 1 : 0) > MaxDigits)
            return Problem.TooManyDigits;
        decimal value = decimal.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (value > long.MaxValue)
            return Problem.TooLarge;
        decimal exact = value * perUnit;
        if (exact > long.MaxValue)
            return Problem.TooLarge;
        if (exact != decimal.Truncate(exact))
            return Problem.Fractional;
        nanoseconds = (long)exact;
        return Problem.None;
    }

    /// <summary>True when <paramref name="text"/> (trimmed) is a duration; see <see cref="TryParse(ReadOnlySpan{char}, out long, out int, bool)"/>.</summary>
    public static bool TryParse(string text, out long nanoseconds, bool allowBareNanoseconds = false) =>
        TryParse(text.AsSpan().Trim(), out nanoseconds, out _, allowBareNanoseconds) == Problem.None;

    /// <summary>
    /// Writes nanoseconds in the largest unit not above the value, with an exact decimal fraction and no
    /// trailing zeros: <c>1500000000</c> → <c>1.5s</c>, <c>999</c> → <c>999ns</c>, <c>0</c> → <c>0ns</c>.
    /// </summary>
    public static string FormatExact(long nanoseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nanoseconds);
        (long perUnit, int fractionDigits, string unit) = nanoseconds switch
        {
            >= 1_000_000_000 => (1_000_000_000L, 9, "s"),
            >= 1_000_000 => (1_000_000L, 6, "ms"),
            >= 1_000 => (1_000L, 3, "us"),
            _ => (1L, 0, "ns"),
        };
        var text = new StringBuilder();
        text.Append((nanoseconds / perUnit).ToString(CultureInfo.InvariantCulture));
        long fraction = nanoseconds % perUnit;
        if (fraction != 0)
            text.Append('.').Append(fraction.ToString(CultureInfo.InvariantCulture).PadLeft(fractionDigits, '0').TrimEnd('0'));
        return text.Append(unit).ToString();
    }
}
