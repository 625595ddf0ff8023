namespace TraceQuery.Text;

/// <summary>
/// The one shell glob of the library: <c>*</c> (any run) and <c>?</c> (one character) over a whole name, ignoring
/// case by simple (invariant) case folding. Used by the filter language's name terms and by the recorder's source
/// name patterns. O(pattern × text) at worst (greedy with backtracking to the last <c>*</c>); no allocation.
/// </summary>
internal static class Glob
{
    /// <summary>True when <paramref name="text"/> matches the whole <paramref name="pattern"/>.</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || FoldsEqual(pattern[p], text[t])))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }

    /// <summary>True when the pattern holds a wildcard (<c>*</c> or <c>?</c>).</summary>
    public static bool HasWildcard(ReadOnlySpan<char> pattern) => pattern.IndexOfAny('*', '?') >= 0;

    // Lower- and upper-casing disagree on a few letters (e.g. 'ı', 'ſ', 'K' Kelvin); comparing both foldings makes the
    // match symmetric and independent of which one a caller would have chosen.
    private static bool FoldsEqual(char a, char b) =>
        a == b || char.ToLowerInvariant(a) == char.ToLowerInvariant(b) || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);
}
