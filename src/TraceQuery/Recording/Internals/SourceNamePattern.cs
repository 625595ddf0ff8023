namespace TraceQuery.Recording.Internals;

/// <summary>
/// An <see cref="System.Diagnostics.ActivitySource"/> name pattern with <c>*</c> (any run) and <c>?</c> (one
/// character) wildcards, matched ignoring case. Used once per source when the listener decides whether to
/// listen to it, never per event.
/// </summary>
internal sealed class SourceNamePattern(string pattern)
{
    /// <summary>The pattern as given.</summary>
    public string Pattern { get; } = pattern;

    /// <summary>True when <paramref name="name"/> matches the whole pattern.</summary>
    public bool IsMatch(string name) => Matches(Pattern.AsSpan(), name.AsSpan());

    private static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Greedy wildcard matching with backtracking to the last '*': O(pattern × text) at worst.
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(text[t])))
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
}
