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
    /// that closes a complete span <c>after {duration} span:{id}</c>, for an exception <c>in span:{id}</c>, and the
    /// event's message when it has one.
    /// </summary>
    public static string Event(ExecutionTrace trace, int e, string offset, string mark = "")
    {
        var text = new StringBuilder("- ").Append(mark).Append(offset).Append(' ')
            .Append(trace.GetEventRef(e)).Append(' ').Append(KindInLine(trace.Kinds[e])).Append(' ')
            .Append(trace.GetFunctionName(trace.FunctionOrdinals[e])).Append(" depth ").Append(trace.Depths[e]);
        var spans = trace.Spans;
        int s = spans.SpanOfEvent[e];
        if ((EventKind)trace.Kinds[e] == EventKind.Return && s >= 0 && spans.Statuses[s] == SpanStatus.Complete)
            text.Append(" after ").Append(TextFormat.Duration(spans.GetDuration(s))).Append(" span:").Append(s);
        else if ((EventKind)trace.Kinds[e] == EventKind.Exception && s >= 0)
            text.Append(" in span:").Append(s);
        if (trace.TryGetMessage(e, out string message))
            text.Append(' ').Append(TextFormat.Message(message));
        return text.ToString();
    }

    /// <summary>An event line with its offset from the trace's first event (<see cref="Event(ExecutionTrace, int, string, string)"/>).</summary>
    public static string Event(ExecutionTrace trace, int e) =>
        Event(trace, e, "+" + TextFormat.Duration(trace.Timestamps[e] - trace.TimeStartNs));

    /// <summary>
    /// A span line: <c>- span:{id} {function} thread {t} depth {d} +{start} for {duration} {status}</c>, then its parent
    /// and whether it raised an exception.
    /// </summary>
    public static string Span(ExecutionTrace trace, int s)
    {
        var span = trace.Spans.Get(s);
        return $"- span:{s} {trace.Symbols.GetName(span.FunctionId)} thread {span.ThreadId} depth {span.Depth} +{TextFormat.Duration(span.StartNs - trace.TimeStartNs)} for {TextFormat.Duration(span.DurationNs)} {Status(span.Status)}"
            + (span.ParentId >= 0 ? $" parent span:{span.ParentId}" : "") + (span.RaisedException ? " raised-exception" : "");
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
