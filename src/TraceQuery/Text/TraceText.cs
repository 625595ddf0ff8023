using System.Globalization;
using System.Text;
using TraceQuery.Model;

namespace TraceQuery.Text;

/// <summary>
/// The one renderer of trace facts in answers: event kinds, event lines, span lines, detail records, durations,
/// offsets and counts. Every answer (summaries, scoped searches, event lists, reference lookups, trace info, the
/// filter formatter's kinds) renders through it, so the same fact reads the same everywhere. Invariant culture.
/// </summary>
internal static class TraceText
{
    /// <summary>An event kind as the filter language names it: <c>call</c>, <c>return</c>, <c>exception</c>; <c>kind7</c> for a kind it cannot name.</summary>
    public static string Kind(byte kind) => (EventKind)kind switch
    {
        EventKind.Call => "call",
        EventKind.Return => "return",
        EventKind.Exception => "exception",
        _ => "kind" + kind.ToString(CultureInfo.InvariantCulture),
    };

    /// <inheritdoc cref="Kind(byte)"/>
    public static string Kind(EventKind kind) => Kind((byte)kind);

    /// <summary>
    /// An event kind in an answer's event line: as <see cref="Kind(byte)"/>, but an exception is written
    /// <c>EXCEPTION</c> so it stands out among thousands of calls and returns.
    /// </summary>
    public static string KindInLine(byte kind) => (EventKind)kind == EventKind.Exception ? "EXCEPTION" : Kind(kind);

    /// <summary>A count with thousands separators (<c>12,345</c>).</summary>
    public static string Count(long value) => TextFormat.Count(value);

    /// <summary>A duration for reading (<c>1.2 µs</c>); see <see cref="TextFormat.Duration"/>.</summary>
    public static string Duration(long nanoseconds) => TextFormat.Duration(nanoseconds);

    /// <summary>A fractional duration (a percentile) rounded to whole nanoseconds, then as <see cref="Duration(long)"/>.</summary>
    public static string Duration(double nanoseconds) => TextFormat.Duration((long)Math.Round(nanoseconds));

    /// <summary>A signed offset from a reference point: <c>±0</c>, <c>+1.2 µs</c>, <c>-40 ms</c>.</summary>
    public static string Offset(long nanoseconds) => nanoseconds == 0 ? "±0" : nanoseconds > 0 ? "+" + TextFormat.Duration(nanoseconds) : TextFormat.Duration(nanoseconds);

    /// <summary>An event in brief: <c>- event:1:2 call parse</c>.</summary>
    public static string EventBrief(ExecutionTrace trace, int e) =>
        $"- {trace.GetEventRef(e)} {KindInLine(trace.Kinds[e])} {trace.GetFunctionName(trace.FunctionOrdinals[e])}";

    /// <summary>
    /// An event line: <c>- {mark}{offset} event:&lt;thread&gt;:&lt;seq&gt; {kind} {function} depth {d}</c>, then for a return
    /// that closes a complete span <c>after {duration} span:{id}</c>, for an exception <c>in span:{id}</c>, the
    /// event's message when it has one, and for a CALL the attributes of the span it opens (<see cref="AppendAttributes"/>).
    /// </summary>
    public static string Event(ExecutionTrace trace, int e, string offset, string mark = "")
    {
        var text = new StringBuilder("- ").Append(mark).Append(offset).Append(' ')
            .Append(trace.GetEventRef(e)).Append(' ').Append(KindInLine(trace.Kinds[e])).Append(' ')
            .Append(trace.GetFunctionName(trace.FunctionOrdinals[e])).Append(" depth ").Append(trace.Depths[e]);
        var spans = trace.Spans;
        int s = spans.SpanOfEvent[e];
        if ((EventKind)trace.Kinds[e] == EventKind.Return && s >= 0 && spans.Statuses[s] is SpanStatus.Complete or SpanStatus.Error)
            text.Append(" after ").Append(TextFormat.Duration(spans.GetDuration(s))).Append(" span:").Append(s);
        else if ((EventKind)trace.Kinds[e] == EventKind.Exception && s >= 0)
            text.Append(" in span:").Append(s);
        if (trace.TryGetMessage(e, out string message))
            text.Append(' ').Append(TextFormat.Message(message));
        AppendErrorStatus(text, trace, e);
        AppendAttributes(text, trace, e, MaxAttributesInLine, MaxAttributeValueInLine);
        return text.ToString();
    }

    /// <summary>
    /// Appends <c> error-status="message"</c> (or <c> error-status</c> without a description) for the CALL of a span the
    /// source says ended with an error status (<see cref="ExecutionTrace.TryGetErrorStatus"/>); nothing otherwise.
    /// </summary>
    public static void AppendErrorStatus(StringBuilder text, ExecutionTrace trace, int e)
    {
        if (!trace.TryGetErrorStatus(e, out string message))
            return;
        text.Append(" error-status");
        if (message.Length > 0)
            text.Append('=').Append(TextFormat.Message(message, MaxAttributeValueInLine));
    }

    /// <summary>Attributes shown in one event or span line; the rest are counted (<c>+3 more</c>).</summary>
    public const int MaxAttributesInLine = 6;

    /// <summary>Characters of one attribute value shown in an event or span line (the rest cut with <c>…</c>).</summary>
    public const int MaxAttributeValueInLine = 80;

    /// <summary>
    /// Appends the attributes of the span the CALL at <paramref name="e"/> opens (Chrome args, OTLP attributes):
    /// <c> args{detail="/usr/include/features.h", data.url="…"}</c>, at most <paramref name="maxCount"/> of them with values
    /// cut at <paramref name="maxValue"/> characters; how many more there are, and how many the reader dropped, is said.
    /// Nothing for an event without attributes.
    /// </summary>
    public static void AppendAttributes(StringBuilder text, ExecutionTrace trace, int e, int maxCount, int maxValue)
    {
        if (!trace.TryGetAttributes(e, out var attributes) || (attributes.Count == 0 && attributes.DroppedCount == 0))
            return;
        text.Append(" args{");
        int shown = Math.Min(maxCount, attributes.Count);
        for (int i = 0; i < shown; i++)
        {
            if (i > 0)
                text.Append(", ");
            text.Append(attributes[i].Key).Append('=').Append(TextFormat.Message(attributes[i].Value, maxValue));
        }
        int more = attributes.Count - shown + attributes.DroppedCount;
        if (more > 0)
            text.Append(shown > 0 ? ", " : "").Append('+').Append(Count(more)).Append(" more");
        text.Append('}');
    }

    /// <summary>What a producer convention or lane says about a span, as tags: <c> [async]</c>, <c> [device]</c>, <c> [aggregate]</c>, <c> [envelope]</c>, <c> [pseudo-frame]</c>, <c> [instant]</c>.</summary>
    public static string Tags(ExecutionTrace trace, int s)
    {
        var spans = trace.Spans;
        var track = spans.GetTrack(s);
        var marks = spans.GetMarks(s);
        if (track == SpanTrack.Thread && marks == SpanMarks.None)
            return "";
        var text = new StringBuilder();
        if (track == SpanTrack.Async)
            text.Append(" [async]");
        else if (track == SpanTrack.Device)
            text.Append(" [device]");
        if ((marks & SpanMarks.Aggregate) != 0)
            text.Append(" [aggregate]");
        if ((marks & SpanMarks.Envelope) != 0)
            text.Append(" [envelope]");
        if ((marks & SpanMarks.PseudoFrame) != 0)
            text.Append(" [pseudo-frame]");
        if ((marks & SpanMarks.Instant) != 0)
            text.Append(" [instant]");
        return text.ToString();
    }

    /// <summary>
    /// What else the span opened at CALL <paramref name="e"/> holds, for a lookup of that one event: its span events
    /// (<c>· events: retry +1.2 ms{attempt="2"}</c>) and its links to and from other spans (<c>· links: → span:7 flow:ac2g</c>),
    /// at most <paramref name="max"/> of each, the rest counted. Empty when it has none. O(links).
    /// </summary>
    public static string SpanExtras(ExecutionTrace trace, int e, int max)
    {
        var text = new StringBuilder();
        var events = trace.GetSpanEvents(e);
        if (events.Count > 0)
        {
            text.Append(" · events: ");
            for (int i = 0; i < Math.Min(max, events.Count); i++)
            {
                var spanEvent = events[i];
                text.Append(i == 0 ? "" : "; ").Append(spanEvent.Name).Append(' ').Append(Offset(spanEvent.TimestampNs - trace.Timestamps[e]));
                if (spanEvent.Attributes.Count > 0)
                {
                    text.Append('{');
                    for (int a = 0; a < Math.Min(MaxAttributesInLine, spanEvent.Attributes.Count); a++)
                        text.Append(a == 0 ? "" : ", ").Append(spanEvent.Attributes[a].Key).Append('=').Append(TextFormat.Message(spanEvent.Attributes[a].Value, MaxAttributeValueInLine));
                    text.Append('}');
                }
            }
            if (events.Count > max)
                text.Append("; +").Append(Count(events.Count - max)).Append(" more");
        }
        int shown = 0, more = 0;
        var spans = trace.Spans;
        foreach (var link in trace.Links)
        {
            bool outgoing = link.FromEvent == e;
            if (!outgoing && link.ToEvent != e)
                continue;
            if (shown == max)
            {
                more++;
                continue;
            }
            text.Append(shown == 0 ? " · links: " : ", ").Append(outgoing ? "→ span:" : "← span:")
                .Append(spans.SpanOfEvent[outgoing ? link.ToEvent : link.FromEvent]).Append(' ').Append(link.Kind);
            shown++;
        }
        if (more > 0)
            text.Append(", +").Append(Count(more)).Append(" more");
        return text.ToString();
    }

    /// <summary>An event line with its offset from the trace's first event (<see cref="Event(ExecutionTrace, int, string, string)"/>).</summary>
    public static string Event(ExecutionTrace trace, int e) =>
        Event(trace, e, "+" + TextFormat.Duration(trace.Timestamps[e] - trace.TimeStartNs));

    /// <summary>
    /// A span line: <c>- span:{id} {function} thread {t} depth {d} +{start} for {duration} {status}</c>, then its parent,
    /// whether it raised an exception, its lane and producer-convention tags (<see cref="Tags"/>) and its attributes.
    /// </summary>
    public static string Span(ExecutionTrace trace, int s)
    {
        var span = trace.Spans.Get(s);
        var text = new StringBuilder($"- span:{s} {trace.Symbols.GetName(span.FunctionId)} thread {span.ThreadId} depth {span.Depth} +{TextFormat.Duration(span.StartNs - trace.TimeStartNs)} for {TextFormat.Duration(span.DurationNs)} {Status(span.Status)}")
            .Append(span.ParentId >= 0 ? $" parent span:{span.ParentId}" : "").Append(span.RaisedException ? " raised-exception" : "")
            .Append(Tags(trace, s));
        AppendErrorStatus(text, trace, span.StartEvent);
        AppendAttributes(text, trace, span.StartEvent, MaxAttributesInLine, MaxAttributeValueInLine);
        return text.ToString();
    }

    /// <summary>A span status in lower case (<c>complete</c>, <c>unmatched</c>, <c>unwound</c>, <c>orphanreturn</c>).</summary>
    public static string Status(SpanStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>
    /// A detail record in one short line: registers (arguments on a call, return values on a return), lr, sp, stack
    /// size: <c>detail: args 0x1,0x2 lr=0x… sp=0x… stack 128 B</c>.
    /// </summary>
    public static string Detail(DetailRecord record)
    {
        var function = record.TryGetFunctionDetail();
        if (function is null)
            return $"detail: {record.Payload.Length} bytes (not a function payload)";
        var text = new StringBuilder(record.EventType == DetailRecord.FunctionReturnType ? "detail: ret " : "detail: args ");
        for (int i = 0; i < function.Registers.Count; i++)
            text.Append(i == 0 ? "" : ",").Append("0x").Append(function.Registers[i].ToString("x", CultureInfo.InvariantCulture));
        text.Append(" lr=0x").Append(function.Lr.ToString("x", CultureInfo.InvariantCulture))
            .Append(" sp=0x").Append(function.Sp.ToString("x", CultureInfo.InvariantCulture))
            .Append(" stack ").Append(function.Stack.Length).Append(" B");
        return text.ToString();
    }
}
