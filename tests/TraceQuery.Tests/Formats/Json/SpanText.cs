using System.Globalization;
using TraceQuery.Model;

namespace TraceQuery.Tests.Formats.Json;

/// <summary>Spans and events rendered as short lines, so a test states what it expects at a glance.</summary>
internal static class SpanText
{
    /// <summary><c>thread fn start..end depth status [parent fn]</c>, times in ns relative to the trace start, spans ordered by thread then start.</summary>
    public static string[] Spans(ExecutionTrace trace)
    {
        var spans = trace.Spans;
        var lines = new List<string>();
        for (int s = 0; s < spans.Count; s++)
        {
            var span = spans.Get(s);
            string end = span.EndEvent < 0 ? "open" : (span.EndNs - trace.TimeStartNs).ToString(CultureInfo.InvariantCulture);
            string parent = span.ParentId < 0 ? "" : " <" + trace.Symbols.GetName(spans.Get(span.ParentId).FunctionId);
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"t{span.ThreadId} {trace.Symbols.GetName(span.FunctionId)} {span.StartNs - trace.TimeStartNs}..{end} d{span.Depth} {span.Status}{(span.RaisedException ? " raised" : "")}{parent}"));
        }
        return [.. lines];
    }

    /// <summary><c>kind fn @time [message]</c> for the events of one thread.</summary>
    public static string[] Events(ExecutionTrace trace, uint threadId)
    {
        Assert.IsTrue(trace.TryGetThread(threadId, out var thread), $"no thread {threadId}");
        var lines = new List<string>();
        for (int e = thread.Start; e < thread.End; e++)
        {
            string kind = ((EventKind)trace.Kinds[e]).ToString().ToUpperInvariant();
            string message = trace.TryGetMessage(e, out string m) ? " \"" + m + "\"" : "";
            if (trace.TryGetErrorStatus(e, out string status))
                message += " error-status \"" + status + "\"";
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{kind} {trace.GetFunctionName(trace.FunctionOrdinals[e])} @{trace.Timestamps[e] - trace.TimeStartNs}{message}"));
        }
        return [.. lines];
    }

    public static void AreEqual(string[] expected, string[] actual) =>
        Assert.AreEqual(string.Join("\n", expected), string.Join("\n", actual));
}
