using System.Globalization;
using System.Text;

namespace TraceQuery.Filtering.Internals;

/// <summary>
/// Reads and writes time quantities such as <c>1.5ms</c>: a decimal number and a required unit
/// (<c>ns</c>, <c>us</c>/<c>µs</c>, <c>ms</c>, <c>s</c>), converted exactly to whole nanoseconds with decimal arithmetic.
/// </summary>
internal static class TimeQuantity
{
    // decimal holds 28 significant digits exactly; longer numbers would be rounded silently.
    private const int MaxDigits = 28;

    /// <summary>
    /// Parses <c>text[start..end)</c>, which starts at 1-based column <paramref name="column"/> of
    /// <paramref name="filter"/>, into nanoseconds; <paramref name="what"/> names the quantity in messages.
    /// </summary>
    public static long Parse(string filter, string text, int start, int end, int column, string what)
    {
        int i = start;
        while (i < end && char.IsAsciiDigit(text[i]))
            i++;
        if (i == start)
        {
            if (start >= end)
                throw FilterErrors.At(filter, column, $"expected {what} at column {FilterErrors.Col(column)}; write a number with a unit, e.g. 1.5ms");
            throw FilterErrors.Unexpected(filter, column, FilterErrors.Quote(text[start]), $"expected {what}: a number with a unit, e.g. 1.5ms");
        }
        if (i + 1 < end && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < end && char.IsAsciiDigit(text[i]))
                i++;
        }
        string number = text[start..i];

        int unitStart = i;
        while (i < end && char.IsLetter(text[i]))
            i++;
        string unit = text[unitStart..i];
        int unitColumn = column + (unitStart - start);
        if (unit.Length == 0 && i < end)
        {
            throw FilterErrors.Unexpected(filter, unitColumn, FilterErrors.Quote(text[i]),
                $"expected a unit after '{number}': {FilterSyntax.UnitList}");
        }
        if (unit.Length == 0)
        {
            throw FilterErrors.At(filter, column,
                $"missing unit after '{number}' at column {FilterErrors.Col(column)}; units are required: {FilterSyntax.UnitList}, e.g. {number}ms");
        }
        long nanosecondsPerUnit = unit.ToLowerInvariant() switch
        {
            "ns" => 1,
            "us" or "µs" or "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            _ => throw FilterErrors.At(filter, unitColumn,
                $"unknown unit '{unit}' at column {FilterErrors.Col(unitColumn)}; expected {FilterSyntax.UnitList}"),
        };
        if (i < end)
        {
            int junkColumn = column + (i - start);
            throw FilterErrors.Unexpected(filter, junkColumn, FilterErrors.Quote(text[i]), $"expected a space, ')' or the end after '{text[start..i]}'");
        }

        string written = text[start..end];
        if (number.Length - (number.Contains('.', StringComparison.Ordinal) ? 1 : 0) > MaxDigits)
            throw FilterErrors.At(filter, column, $"'{written}' at column {FilterErrors.Col(column)} has too many digits; at most {MaxDigits} are allowed");
        decimal value = decimal.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (value > long.MaxValue)
            throw TooLarge(filter, written, column);
        decimal nanoseconds = value * nanosecondsPerUnit;
        if (nanoseconds > long.MaxValue)
            throw TooLarge(filter, written, column);
        if (nanoseconds != decimal.Truncate(nanoseconds))
        {
            throw FilterErrors.At(filter, column,
                $"'{written}' at column {FilterErrors.Col(column)} is not a whole number of nanoseconds; the resolution is 1ns");
        }
        return (long)nanoseconds;
    }

    /// <summary>The error for a quantity beyond <see cref="long.MaxValue"/> nanoseconds (about 292 years).</summary>
    public static FilterSyntaxException TooLarge(string filter, string written, int column) =>
        FilterErrors.At(filter, column,
            $"'{written}' at column {FilterErrors.Col(column)} is too large; the largest time is {long.MaxValue.ToString(CultureInfo.InvariantCulture)}ns (about 292 years)");

    /// <summary>
    /// Writes nanoseconds in the largest unit not above the value, with an exact decimal fraction and no
    /// trailing zeros: <c>1500000000</c> → <c>1.5s</c>, <c>999</c> → <c>999ns</c>, <c>0</c> → <c>0ns</c>.
    /// </summary>
    public static string Format(long nanoseconds)
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
