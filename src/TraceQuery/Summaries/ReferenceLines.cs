using TraceQuery.Analysis;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>The lines of a reference lookup (<c>events.get</c>): each event, span, function, sample or stack reference resolved to one line.</summary>
internal static class ReferenceLines
{
    /// <summary>One line per reference, in the order given; <paramref name="texts"/> are the references as the caller wrote them.</summary>
    public static AnswerLines Build(ExecutionTrace trace, IReadOnlyList<string> texts, IReadOnlyList<EvidenceRef> references, bool detail)
    {
        var lines = references.Select(r => new SummaryItem(SummaryItemKind.Timeline, Resolve(trace, r, detail), AnswerSections.Resolved)).ToList();
        string headline = $"# {TraceText.Count(texts.Count)} references";
        return AnswerLines.Counted(headline, lines, "events|" + string.Join(',', texts) + "|" + detail, trace.EventCount);
    }

    /// <summary>Span events and links shown per looked-up event; the rest are counted.</summary>
    private const int MaxExtras = 8;

    private static string Resolve(ExecutionTrace trace, EvidenceRef reference, bool detail)
    {
        switch (reference.Kind)
        {
            case EvidenceKind.Event:
                if (!trace.TryGetEventIndex(new EventRef(reference.Thread, (uint)reference.Value), out int e))
                    return $"- {reference}: no such event in this trace";
                string line = EventListLines.Render(trace, e, full: true);
                if ((EventKind)trace.Kinds[e] == EventKind.Call && trace.Spans.SpanOfEvent[e] is int s and >= 0)
                    line += TraceText.Tags(trace, s) + TraceText.SpanExtras(trace, e, MaxExtras);
                if (detail && trace.TryGetDetail(e, out var record))
                    line += " · " + TraceText.Detail(record);
                else if (detail && trace.DetailSeqs[e] == TraceEvent.NoDetail)
                    line += " · no detail record";
                return line;
            case EvidenceKind.Span:
                return reference.Value < (ulong)trace.Spans.Count ? TraceText.Span(trace, (int)reference.Value) : $"- {reference}: no such span in this trace";
            case EvidenceKind.Sample:
                return SampleText.Sample(trace, (int)Math.Min(reference.Value, int.MaxValue));
            case EvidenceKind.Stack:
                return SampleText.StackLine(trace, (int)Math.Min(reference.Value, int.MaxValue));
            default:
                int ordinal = trace.FunctionIds.BinarySearch(reference.Value);
                if (ordinal < 0)
                    return $"- {reference}: function {trace.Symbols.GetName(reference.Value)} has no events in this trace";
                return $"- {reference}: {trace.GetFunctionName(ordinal)} in {trace.Symbols.GetModuleName(reference.Value)}";
        }
    }
}
