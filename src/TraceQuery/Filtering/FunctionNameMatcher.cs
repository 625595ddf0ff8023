using System.Text.RegularExpressions;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Filtering;

/// <summary>
/// Matches a <see cref="NameTerm"/> (<c>fn:parse_*</c>, <c>fn:/regex/</c>, <c>module:…</c>) against the distinct
/// functions of a trace, with the library's one <see cref="Glob"/> or a NonBacktracking, case-insensitive regex. Used
/// by the filter compiler and by the façade and protocol where a function pattern stands alone.
/// </summary>
internal static class FunctionNameMatcher
{
    /// <summary>How long a regex may run on one name before the filter is refused.</summary>
    public static readonly TimeSpan RegexTimeout = FilterParser.RegexMatchTimeout;

    /// <summary>
    /// Which functions of <paramref name="trace"/> (by ordinal, <see cref="ExecutionTrace.FunctionIds"/>) the name term
    /// matches: its function name, or its module's file name or path. O(distinct functions); never per event.
    /// </summary>
    /// <exception cref="ArgumentException">The regex does not compile.</exception>
    /// <exception cref="FilterSyntaxException">The regex took longer than <see cref="RegexTimeout"/> on a name.</exception>
    public static bool[] Match(NameTerm term, ExecutionTrace trace)
    {
        var membership = new bool[trace.FunctionIds.Length];
        Regex? regex = RegexOf(term);
        for (int o = 0; o < membership.Length; o++)
        {
            ulong id = trace.FunctionIds[o];
            if (term.Field == NameField.Function)
            {
                membership[o] = Matches(term, regex, trace.Symbols.GetName(id));
            }
            else
            {
                var module = trace.Symbols.GetModule(id);
                membership[o] = module is null
                    ? Matches(term, regex, SymbolTable.UnknownModuleName((uint)(id >> 32)))
                    : Matches(term, regex, module.FileName) || Matches(term, regex, module.Path);
            }
        }
        return membership;
    }

    /// <summary>The compiled regex of a <c>/regex/</c> term, or null for a glob.</summary>
    internal static Regex? RegexOf(NameTerm term) => term.Kind == NamePatternKind.Regex
        ? new Regex(term.Pattern, RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, RegexTimeout)
        : null;

    internal static bool Matches(NameTerm term, Regex? regex, string name)
    {
        if (regex is null)
            return Glob.IsMatch(term.Pattern, name);
        try
        {
            return regex.IsMatch(name);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new FilterSyntaxException(
                $"the regex at column {term.Column} took longer than {RegexTimeout.TotalMilliseconds:0} ms on a {name.Length}-character name; simplify it",
                term.Pattern, term.Column);
        }
    }
}
