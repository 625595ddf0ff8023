using TraceQuery.Analysis;

namespace TraceQuery.Summaries;

/// <summary>
/// An answer before it is fitted to a budget: its headline, ranked candidate lines with how many of each kind exist,
/// the query text that fingerprints its cursor, the events it matched and the findings it rests on.
/// </summary>
internal sealed record AnswerLines(
    string Headline,
    IEnumerable<SummaryItem> Items,
    IReadOnlyDictionary<SummaryItemKind, long> Totals,
    string Query,
    int Matched,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>Lines whose totals are simply their count per kind (every line is known up front).</summary>
    public static AnswerLines Counted(string headline, List<SummaryItem> items, string query, int matched) =>
        new(headline, items, items.GroupBy(l => l.Kind).ToDictionary(g => g.Key, g => (long)g.Count()), query, matched, []);
}
