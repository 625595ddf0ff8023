using System.Globalization;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Analysis;

/// <summary>
/// Ranks findings for a symptom in plain words: each symptom word (stemmed, stop words dropped) scores 3 when it is
/// part of the culprit function's name, 2 when it is in the title or kind, 1 when it is in the rationale. Ties keep the
/// analysis's own order.
/// </summary>
internal static class FindingRanker
{
    /// <summary>One ranked finding and its score (0 when no word matched).</summary>
    public readonly record struct Ranked(Finding Finding, double Score)
    {
        /// <summary>The score as shown in answers (<c>4.5</c>).</summary>
        public string ScoreText => Score.ToString("0.#", CultureInfo.InvariantCulture);
    }

    /// <summary>The stemmed words of a symptom that take part in ranking.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (string raw in text.ToLowerInvariant().Split([' ', ',', '.', ';', ':', '!', '?', '"', '\'', '(', ')', '-', '_', '/'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw.Length < 3 || raw is "the" or "and" or "when" or "with" or "for" or "was" or "are" or "not")
                continue;
            words.Add(WordStemmer.Stem(raw));
        }
        return words;
    }

    /// <summary>The first <paramref name="limit"/> of <paramref name="findings"/>, best match first.</summary>
    public static List<Ranked> Rank(ExecutionTrace trace, IReadOnlyList<Finding> findings, IReadOnlyList<string> words, int limit) =>
        [.. findings
            .Select((f, i) => (Finding: f, Rank: i, Score: Relevance(f, trace, words)))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Rank)
            .Take(limit)
            .Select(x => new Ranked(x.Finding, x.Score))];

    private static double Relevance(Finding finding, ExecutionTrace trace, IReadOnlyList<string> words)
    {
        if (words.Count == 0)
            return 0;
        string title = finding.Title.ToLowerInvariant();
        string rationale = finding.Rationale.ToLowerInvariant();
        string kind = finding.Kind.ToString().ToLowerInvariant();
        var nameParts = finding.FunctionId is { } fn ? IdentifierWords.Split(trace.Symbols.GetName(fn)).Select(WordStemmer.Stem).ToList() : [];
        double score = 0;
        foreach (string w in words)
        {
            if (nameParts.Contains(w))
                score += 3; // the culprit's own name
            else if (title.Contains(w, StringComparison.Ordinal) || kind.Contains(w, StringComparison.Ordinal))
                score += 2;
            else if (rationale.Contains(w, StringComparison.Ordinal))
                score += 1;
        }
        return score;
    }
}
