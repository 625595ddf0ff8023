using System.Globalization;

namespace TraceQuery.Filtering.Internals;

/// <summary>Builds the <see cref="FilterSyntaxException"/>s of the parser; kept apart so the parsing code stays short.</summary>
internal static class FilterErrors
{
    /// <summary>An error at <paramref name="column"/>; <paramref name="message"/> already names the column.</summary>
    public static FilterSyntaxException At(string filter, int column, string message) => new(message, filter, column);

    /// <summary><c>unexpected 'x' at column N; expected …</c></summary>
    public static FilterSyntaxException Unexpected(string filter, int column, string found, string expected) =>
        At(filter, column, $"unexpected {found} at column {column.ToString(CultureInfo.InvariantCulture)}; {expected}");

    /// <summary>A character in quotes for a message; invisible characters as <c>U+XXXX</c>.</summary>
    public static string Quote(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c)
            ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
            : "'" + c + "'";

    /// <summary>A column number in invariant culture.</summary>
    public static string Col(int column) => column.ToString(CultureInfo.InvariantCulture);
}
