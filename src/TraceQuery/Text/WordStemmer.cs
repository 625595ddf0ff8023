namespace TraceQuery.Text;

/// <summary>
/// The one stemmer, for matching symptom words against identifier parts (key-symbol planning, finding relevance): it
/// strips common English endings (<c>parsing</c>, <c>parser</c>, <c>parse</c> → <c>pars</c>; <c>headers</c> →
/// <c>head</c>) and undoubles a final consonant (<c>stopping</c> → <c>stop</c>). Both sides go through it, so it need
/// only be consistent.
/// </summary>
internal static class WordStemmer
{
    private static readonly (string Suffix, string Replacement)[] Endings =
    [
        ("ingly", ""), ("edly", ""), ("ings", ""), ("ing", ""), ("ions", ""), ("ion", ""), ("ers", ""), ("er", ""),
        ("ies", "y"), ("es", ""), ("ed", ""), ("ly", ""), ("s", ""), ("e", ""),
    ];

    /// <summary>The lower-case stem of <paramref name="word"/>; words of three letters or fewer are only lower-cased.</summary>
    public static string Stem(string word)
    {
        string w = word.ToLowerInvariant();
        if (w.Length <= 3)
            return w;
        foreach (var (suffix, replacement) in Endings)
        {
            if (w.EndsWith(suffix, StringComparison.Ordinal) && w.Length - suffix.Length >= 3)
            {
                w = w[..^suffix.Length] + replacement;
                break;
            }
        }
        if (w.Length >= 4 && w[^1] == w[^2] && !"aeiouslz".Contains(w[^1], StringComparison.Ordinal))
            w = w[..^1];
        return w;
    }

    /// <summary>True when two stems name the same thing: equal, or one is a prefix of the other of at least 4 letters (<c>alloc</c> / <c>allocat</c>).</summary>
    public static bool Related(string a, string b) =>
        a == b || (Math.Min(a.Length, b.Length) >= 4 && (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal)));
}
