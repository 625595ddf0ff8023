using TraceQuery.Analysis;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>The lines of a findings search: the ranked findings, each with its match score when a symptom was given.</summary>
internal static class FindingLines
{
    /// <summary>Lines for <paramref name="ranked"/> out of <paramref name="all"/> findings, for <paramref name="symptom"/> (its stemmed <paramref name="words"/>).</summary>
    public static AnswerLines Build(ExecutionTrace trace, IReadOnlyList<Finding> all, List<FindingRanker.Ranked> ranked, string symptom, IReadOnlyList<string> words, int limit)
    {
        var items = ranked.Select(x => new SummaryItem(SummaryItemKind.Finding,
            NarrativeBuilder.Render(x.Finding) + (x.Score > 0 && words.Count > 0 ? $" (matches: {x.ScoreText})" : ""),
            AnswerSections.Findings));
        string headline = $"# {TraceText.Count(all.Count)} findings{(words.Count == 0 ? "" : $" ranked for \"{symptom}\"")}";
        var totals = new Dictionary<SummaryItemKind, long> { [SummaryItemKind.Finding] = ranked.Count };
        return new AnswerLines(headline, items, totals, $"findings|{symptom}|{limit}", trace.EventCount, [.. ranked.Select(x => x.Finding)]);
    }
}
