using TraceQuery.Filtering;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Analysis;

/// <summary>Selects call spans by function, thread, status and duration, in span order. O(spans).</summary>
internal static class SpanSelector
{
    /// <summary>
    /// Per function ordinal, whether <paramref name="pattern"/> (a glob, or <c>/regex/</c>) matches its name.
    /// </summary>
    /// <exception cref="QueryArgumentException">The pattern is not a valid glob or regex (parameter <c>function</c>).</exception>
    public static bool[] MatchFunctions(ExecutionTrace trace, string pattern)
    {
        var node = Pattern(pattern);
        try
        {
            return FunctionNameMatcher.Match(node, trace);
        }
        catch (ArgumentException e)
        {
            throw new QueryArgumentException("function", "is not a valid pattern: " + e.Message + ".");
        }
    }

    /// <summary>The name term a function pattern means: <c>/…/</c> is a regex, anything else a glob.</summary>
    public static NameTerm Pattern(string pattern) =>
        pattern.Length > 1 && pattern.StartsWith('/') && pattern.EndsWith('/')
            ? new NameTerm(NameField.Function, NamePatternKind.Regex, pattern[1..^1])
            : new NameTerm(NameField.Function, NamePatternKind.Glob, pattern);

    /// <summary>The first <paramref name="limit"/> spans that meet <paramref name="criteria"/>.</summary>
    public static List<int> Select(ExecutionTrace trace, SpanCriteria criteria, int limit, CancellationToken cancellationToken)
    {
        var spans = trace.Spans;
        var selected = new List<int>();
        for (int s = 0; s < spans.Count && selected.Count < limit; s++)
        {
            if ((s & 0xFFFF) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            if (criteria.Functions is { } functions && !functions[spans.GetFunctionOrdinal(s)])
                continue;
            if (criteria.ThreadId is { } t && trace.Threads[spans.GetThreadIndex(s)].Id != t)
                continue;
            if (criteria.Status is { } status && spans.Statuses[s] != status)
                continue;
            long d = spans.GetDuration(s);
            if (d < criteria.MinDurationNs || d > criteria.MaxDurationNs)
                continue;
            selected.Add(s);
        }
        return selected;
    }
}
