using TraceQuery.Filtering;
using TraceQuery.Model;
using TraceQuery.Summaries.Internals;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>
/// The lines of an event listing (<c>trace.query</c>): the selected events in trace order, repeats (a run of one
/// function's calls at one depth on one thread) folded into one line with exemplar spans.
/// </summary>
internal static class EventListLines
{
    /// <summary>
    /// The first <paramref name="limit"/> events of <paramref name="selection"/>; <paramref name="full"/> adds offsets,
    /// depth, span durations and whether an event has detail.
    /// </summary>
    public static AnswerLines Build(ExecutionTrace trace, EventFilter filter, Selection selection, bool full, int limit, string projection)
    {
        var items = RepeatFolding.Fold(trace, selection.Indices().Take(limit)).Select(run => run.Folded
            ? new SummaryItem(SummaryItemKind.Function, RepeatFolding.Render(trace, run, full ? "+" + TraceText.Duration(trace.Timestamps[run.First] - trace.TimeStartNs) + " " : ""), AnswerSections.MatchingEvents)
            : new SummaryItem(SummaryItemKind.Event, Render(trace, run.First, full), AnswerSections.MatchingEvents));
        int threads = selection.Count == 0 ? 0 : trace.Threads.Count(t => HasAny(selection, t));
        string headline = $"# `{(filter.Root is AllNode ? "(all events)" : filter.Canonical)}` matched {TraceText.Count(selection.Count)} of {TraceText.Count(trace.EventCount)} events on {TraceText.Count(threads)} threads"
            + (limit < selection.Count ? $"; listing the first {TraceText.Count(limit)}" : "");
        var (single, folded) = RepeatFolding.Count(trace, selection.Indices().Take(limit));
        var totals = new Dictionary<SummaryItemKind, long> { [SummaryItemKind.Event] = single, [SummaryItemKind.Function] = folded };
        return new AnswerLines(headline, items, totals, $"query|{filter.Canonical}|{projection}|{limit}", selection.Count, []);
    }

    /// <summary>An event in brief, or in full with whether it has a detail record.</summary>
    public static string Render(ExecutionTrace trace, int e, bool full) =>
        !full ? TraceText.EventBrief(trace, e) : TraceText.Event(trace, e) + (trace.DetailSeqs[e] != TraceEvent.NoDetail ? " detail:yes" : "");

    private static bool HasAny(Selection selection, TraceThread thread)
    {
        if (thread.Count == 0)
            return false;
        Span<int> one = stackalloc int[1];
        return selection.CopyIndices(thread.Start, one) == 1 && one[0] < thread.End;
    }
}
