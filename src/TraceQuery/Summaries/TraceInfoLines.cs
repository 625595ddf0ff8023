using TraceQuery.Model;
using TraceQuery.Summaries.Internals;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>The lines of a <c>trace.info</c> answer: source, time range, counts, each thread's recovery, and warnings.</summary>
internal static class TraceInfoLines
{
    /// <summary>The answer's lines; <paramref name="traceName"/> is how the caller named the trace.</summary>
    public static AnswerLines Build(ExecutionTrace trace, string traceName)
    {
        var lines = new List<SummaryItem>();
        var m = trace.Metadata;
        lines.Add(Line($"- format {m.SourceFormat}{(m.FormatVersion is null ? "" : " " + m.FormatVersion)} · os {m.Os} · arch {m.Arch} · clock {m.ClockType} · manifest {(m.ManifestPresent ? "present" : "missing")}"));
        lines.Add(Line($"- time {trace.TimeStartNs}..{trace.TimeEndNs} ns ({TraceText.Duration(trace.TimeEndNs - trace.TimeStartNs)}) · {TraceText.Count(trace.EventCount)} events · {TraceText.Count(trace.Spans.Count)} spans · {TraceText.Count(trace.Threads.Count)} threads · {TraceText.Count(trace.FunctionIds.Length)} functions"));
        if (SourceCounts.RecordsLine(trace) is { } records)
            lines.Add(Line("- " + records));
        foreach (string extra in SourceCounts.ExtraLines(trace))
            lines.Add(Line("- " + extra));
        foreach (var thread in trace.Threads)
            lines.Add(Line($"- thread {thread.Id}{SourceCounts.ThreadLabel(thread)}: {TraceText.Count(thread.Count)} events, {TraceText.Count(thread.DetailRecordCount)} detail records, {Recovery(thread.Recovery)}"));
        foreach (string warning in m.Warnings)
            lines.Add(Line("- warning: " + warning));
        string headline = $"# Trace {traceName}: {TraceText.Count(trace.EventCount)} events on {TraceText.Count(trace.Threads.Count)} threads{(trace.WasRecovered ? " (recovered)" : "")}";
        return AnswerLines.Counted(headline, lines, "info", trace.EventCount);
    }

    private static string Recovery(ThreadRecovery r) => r.IsComplete ? "complete" : string.Join(", ", new[]
    {
        r.IndexEmptyFile ? "empty index file" : !r.IndexFinalized ? $"no footer ({TraceText.Count(r.EventsRecovered)} events recovered)" : null,
        r.IndexBytesIgnored > 0 ? $"{TraceText.Count(r.IndexBytesIgnored)} index bytes ignored" : null,
        r.DetailBytesIgnored > 0 ? $"{TraceText.Count(r.DetailBytesIgnored)} detail bytes ignored" : null,
        r.DetailLinksDropped > 0 ? $"{TraceText.Count(r.DetailLinksDropped)} detail links dropped" : null,
        r.DuplicatesRemoved > 0 ? $"{TraceText.Count(r.DuplicatesRemoved)} duplicates removed" : null,
        r.Reordered ? "reordered by time" : null,
        r.SpansWithMissingParent > 0 ? $"not complete: {TraceText.Count(r.SpansWithMissingParent)} span{(r.SpansWithMissingParent == 1 ? "" : "s")} whose parent is not in the file" : null,
    }.Where(x => x is not null));

    private static SummaryItem Line(string text) => new(SummaryItemKind.Timeline, text, AnswerSections.Info);
}
