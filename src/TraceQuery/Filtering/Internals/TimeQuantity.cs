using System.Globalization;
using TraceQuery.Text;

namespace TraceQuery.Filtering.Internals;

/// <summary>
/// Time quantities of the filter language (<c>1.5ms</c>): read and written by <see cref="DurationText"/> (the one unit
/// table, number reader and exact writer), with errors that name the column of the filter text.
/// </summary>
internal static class TimeQuantity
{
    /// <summary>
    /// Parses <c>text[start..end)</c>, which starts at 1-based column <paramref name="column"/> of
    /// <paramref name="filter"/>, into nanoseconds; <paramref name="what"/> names the quantity in messages.
    /// </summary>
    public static long Parse(string filter, string text, int start, int end, int column, string what)
    {
        var quantity = text.AsSpan(start, end - start);
        var problem = DurationText.TryParse(quantity, out long nanoseconds, out int offset);
        if (problem == DurationText.Problem.None)
            return nanoseconds;

        string written = quantity.ToString();
        string before = written[..offset];
        int at = column + offset;
        throw problem switch
        {
            DurationText.Problem.NoNumber when quantity.IsEmpty =>
                FilterErrors.At(filter, column, $"expected {what} at column {FilterErrors.Col(column)}; write a number with a unit, e.g. 1.5ms"),
            DurationText.Problem.NoNumber =>
                FilterErrors.Unexpected(filter, column, FilterErrors.Quote(quantity[0]), $"expected {what}: a number with a unit, e.g. 1.5ms"),
            DurationText.Problem.NoUnit =>
                FilterErrors.At(filter, column,
                    $"missing unit after '{written}' at column {FilterErrors.Col(column)}; units are required: {DurationText.UnitList}, e.g. {written}ms"),
            DurationText.Problem.UnknownUnit when !char.IsLetter(quantity[offset]) =>
                FilterErrors.Unexpected(filter, at, FilterErrors.Quote(quantity[offset]), $"expected a unit after '{before}': {DurationText.UnitList}"),
            DurationText.Problem.UnknownUnit =>
                FilterErrors.At(filter, at,
                    $"unknown unit '{UnitAt(written, offset)}' at column {FilterErrors.Col(at)}; expected {DurationText.UnitList}"),
            DurationText.Problem.TrailingText =>
                FilterErrors.Unexpected(filter, at, FilterErrors.Quote(quantity[offset]), $"expected a space, ')' or the end after '{before}'"),
            DurationText.Problem.TooManyDigits =>
                FilterErrors.At(filter, column,
                    $"'{written}' at column {FilterErrors.Col(column)} has too many digits; at most {DurationText.MaxDigits} are allowed"),
            DurationText.Problem.TooLarge => TooLarge(filter, written, column),
            _ => FilterErrors.At(filter, column,
                $"'{written}' at column {FilterErrors.Col(column)} is not a whole number of nanoseconds; the resolution is 1ns"),
        };
    }

    /// <summary>The error for a quantity beyond <see cref="long.MaxValue"/> nanoseconds (about 292 years).</summary>
    public static FilterSyntaxException TooLarge(string filter, string written, int column) =>
        FilterErrors.At(filter, column,
            $"'{written}' at column {FilterErrors.Col(column)} is too large; the largest time is {long.MaxValue.ToString(CultureInfo.InvariantCulture)}ns (about 292 years)");

    /// <summary>The canonical text of <paramref name="nanoseconds"/> (<see cref="DurationText.FormatExact"/>): <c>1500000000</c> → <c>1.5s</c>.</summary>
    public static string Format(long nanoseconds) => DurationText.FormatExact(nanoseconds);

    private static string UnitAt(string written, int offset)
    {
        int end = offset;
        while (end < written.Length && char.IsLetter(written[end]))
            end++;
        return written[offset..end];
    }
}
