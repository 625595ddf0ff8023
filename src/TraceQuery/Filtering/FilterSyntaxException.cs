namespace TraceQuery.Filtering;

/// <summary>A filter string could not be parsed. The message names the 1-based column and what was expected there.</summary>
public sealed class FilterSyntaxException : FormatException
{
    /// <summary>Creates the exception; <paramref name="message"/> already names the column.</summary>
    public FilterSyntaxException(string message, string filter, int column)
        : base(message)
    {
        Filter = filter;
        Column = column;
    }

    /// <summary>The filter text that failed.</summary>
    public string Filter { get; }

    /// <summary>1-based column of the problem.</summary>
    public int Column { get; }
}
