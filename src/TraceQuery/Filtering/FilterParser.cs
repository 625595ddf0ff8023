using System.Diagnostics.CodeAnalysis;
using TraceQuery.Filtering.Internals;

namespace TraceQuery.Filtering;

/// <summary>
/// Reads the filter language into a <see cref="FilterNode"/> tree and writes a tree back as canonical text.
/// </summary>
/// <remarks>
/// <para>
/// Terms: <c>kind:call,exception</c>, <c>thread:1,3</c>, <c>fn:parse*</c>, <c>fn:/^parse/</c>, <c>module:"/usr/lib/libfoo.so"</c>,
/// <c>depth&gt;=3</c> (<c>depth:3</c> means <c>=</c>), <c>time:1.5s..2s</c> (either end may be left out), <c>time&gt;=1ms</c>,
/// <c>duration&gt;10ms</c>, <c>detail:yes</c>, and bare or <c>"quoted"</c> words that match function or module names.
/// Times need a unit (<c>ns us µs ms s</c>) and may be fractional. Combine with <c>and</c>/<c>&amp;&amp;</c> (or just a space),
/// <c>or</c>/<c>||</c>, <c>not</c>/<c>!</c> and parentheses; <c>not</c> binds tightest, then <c>and</c>, then <c>or</c>.
/// </para>
/// <para>
/// Malformed text throws <see cref="FilterSyntaxException"/> naming the column and what was expected there. Parsing is
/// O(length) apart from building each regex once to validate it; the text, nesting and regexes are size-limited.
/// </para>
/// </remarks>
public static class FilterParser
{
    /// <summary>The longest filter text accepted, in UTF-16 characters.</summary>
    public const int MaxFilterLength = 4096;

    /// <summary>The deepest nesting accepted; each <c>(</c> and each <c>not</c> is one level.</summary>
    public const int MaxNesting = 64;

    /// <summary>The longest regex pattern accepted (between the slashes, after <c>\/</c> became <c>/</c>).</summary>
    public const int MaxRegexLength = 1000;

    /// <summary>The match timeout regexes are validated with and that evaluation should use.</summary>
    public static readonly TimeSpan RegexMatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Parses <paramref name="filter"/>; empty or whitespace-only text gives <see cref="AllNode"/>. Each node's
    /// <see cref="FilterNode.Column"/> is the 1-based column of its first character.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="FilterSyntaxException">The text is malformed or over a limit; the message says where and what was expected.</exception>
    public static FilterNode Parse(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new FilterExpressionParser(filter).ParseFilter();
    }

    /// <summary>
    /// Parses <paramref name="filter"/> without throwing for malformed text: on success <paramref name="node"/> is the tree
    /// and <paramref name="error"/> null; otherwise <paramref name="node"/> is null and <paramref name="error"/> says what is wrong.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    public static bool TryParse(string filter, [NotNullWhen(true)] out FilterNode? node, [NotNullWhen(false)] out FilterSyntaxException? error)
    {
        ArgumentNullException.ThrowIfNull(filter);
        try
        {
            node = new FilterExpressionParser(filter).ParseFilter();
            error = null;
            return true;
        }
        catch (FilterSyntaxException e)
        {
            node = null;
            error = e;
            return false;
        }
    }

    /// <summary>
    /// Writes <paramref name="node"/> as canonical filter text, for echoing how a filter was understood: lowercase
    /// keywords and fields, explicit <c>and</c>, parentheses only where precedence needs them, quotes only where a
    /// name needs them, times in the largest unit that keeps them exact (<c>1.5s</c>). Parsing the text gives the
    /// same tree apart from columns. <see cref="AllNode"/> alone gives the empty string.
    /// </summary>
    /// <exception cref="ArgumentException">The tree has no text form: an empty list or name, a negative time, an
    /// <see cref="AllNode"/> inside another node, or a <see cref="WordTerm.MatchesExceptions"/> that disagrees with its word.</exception>
    public static string Format(FilterNode node) => FilterFormatter.Format(node);
}
