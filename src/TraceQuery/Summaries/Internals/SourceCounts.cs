using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Summaries.Internals;

/// <summary>
/// How the records a reader read relate to the spans and events of the model, and what else the source held (links,
/// counters, samples), in the words every info answer uses. O(events) once per call (kinds and span lanes are counted).
/// </summary>
internal static class SourceCounts
{
    /// <summary>Counter series listed by name in an info answer; the rest are counted.</summary>
    private const int MaxCounters = 8;

    /// <summary>
    /// <c>records: 3,551 read → 2,712 spans (2,431 on threads, 22 async, 259 instants) → 5,380 events: 2,690 CALL + 2,686
    /// RETURN + 4 EXCEPTION (a span is a CALL and a RETURN; 4 spans never ended have no RETURN)</c>; null when the reader did
    /// not count records (ATF, a builder).
    /// </summary>
    public static string? RecordsLine(ExecutionTrace trace)
    {
        if (trace.Metadata.RecordsRead is not { } records)
            return null;
        long calls = 0, returns = 0, exceptions = 0;
        foreach (byte kind in trace.Kinds)
        {
            switch ((EventKind)kind)
            {
                case EventKind.Call: calls++; break;
                case EventKind.Return: returns++; break;
                case EventKind.Exception: exceptions++; break;
            }
        }
        var spans = trace.Spans;
        long onThreads = 0, async = 0, device = 0, instants = 0, open = 0;
        foreach (var thread in trace.Threads)
        {
            var (start, end) = spans.GetThreadRange(thread.Index);
            for (int s = start; s < end; s++)
            {
                if (spans.Statuses[s] == SpanStatus.Unmatched)
                    open++;
                if ((spans.GetMarks(s) & SpanMarks.Instant) != 0)
                    instants++;
                else if (thread.Track == SpanTrack.Async)
                    async++;
                else if (thread.Track == SpanTrack.Device)
                    device++;
                else
                    onThreads++;
            }
        }
        var parts = new List<string> { TraceText.Count(onThreads) + " on threads" };
        if (async > 0)
            parts.Add(TraceText.Count(async) + " async");
        if (device > 0)
            parts.Add(TraceText.Count(device) + " on devices");
        if (instants > 0)
            parts.Add(TraceText.Count(instants) + " instants");
        string events = TraceText.Count(calls) + " CALL + " + TraceText.Count(returns) + " RETURN"
            + (exceptions > 0 ? " + " + TraceText.Count(exceptions) + " EXCEPTION" : "");
        string how = "a span is a CALL and a RETURN, an instant both at one time"
            + (open > 0 ? "; " + TraceText.Count(open) + " spans never ended have no RETURN" : "")
            + (exceptions > 0 ? "; an EXCEPTION is raised inside a span" : "");
        return $"records: {TraceText.Count(records)} read → {TraceText.Count(spans.Count)} spans ({string.Join(", ", parts)}) → {TraceText.Count(trace.EventCount)} events: {events} ({how})";
    }

    /// <summary>Lines about what the source held beside spans: producer, links, counters; empty when none.</summary>
    public static IEnumerable<string> ExtraLines(ExecutionTrace trace)
    {
        var m = trace.Metadata;
        if (m.Producer is not null)
            yield return "producer: " + m.Producer;
        if (trace.Links.Count > 0 || m.UnresolvedLinks > 0)
        {
            var kinds = trace.Links.GroupBy(l => l.Kind).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} ×{TraceText.Count(g.Count())}");
            yield return $"links: {TraceText.Count(trace.Links.Count)} between spans ({string.Join(", ", kinds)})"
                + (m.UnresolvedLinks > 0 ? $" · {TraceText.Count(m.UnresolvedLinks)} could not be linked" : "");
        }
        if (m.Counters.Count > 0)
        {
            var shown = m.Counters.Take(MaxCounters).Select(c => $"{c.Name} ×{TraceText.Count(c.Count)} min {Number(c.Min)} max {Number(c.Max)} last {Number(c.Last)}");
            yield return $"counters: {TraceText.Count(m.Counters.Count)} series: {string.Join("; ", shown)}"
                + (m.Counters.Count > MaxCounters ? $"; +{TraceText.Count(m.Counters.Count - MaxCounters)} more" : "");
        }
        if (m.ClippedAttributeValues > 0 || m.DroppedAttributes > 0)
            yield return $"attributes: {TraceText.Count(m.ClippedAttributeValues)} values clipped, {TraceText.Count(m.DroppedAttributes)} dropped past the per-span bound";
    }

    /// <summary>A thread's name and identity for a thread line (<c> CrRendererMain (Renderer pid 63312 tid 775)</c>), or empty when the source gave none.</summary>
    public static string ThreadLabel(TraceThread thread) =>
        thread.Name is null && thread.ProcessId is null && thread.OriginalThreadId is null && thread.ProcessName is null && thread.Track == SpanTrack.Thread
            ? ""
            : " " + thread.Label;

    private static string Number(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
