using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>The lines of a span listing: one line per selected span, in span order.</summary>
internal static class SpanListLines
{
    /// <summary>Lines for <paramref name="spans"/>; <paramref name="query"/> fingerprints the listing's cursor.</summary>
    public static AnswerLines Build(ExecutionTrace trace, List<int> spans, int limit, string query)
    {
        int count = spans.Count;
        var items = spans.Select(s => new SummaryItem(SummaryItemKind.Event, TraceText.Span(trace, s), AnswerSections.Spans));
        string headline = $"# {TraceText.Count(count)} spans match{(count == limit ? " (limit reached)" : "")}";
        var totals = new Dictionary<SummaryItemKind, long> { [SummaryItemKind.Event] = count };
        return new AnswerLines(headline, items, totals, query, trace.EventCount, []);
    }
}
