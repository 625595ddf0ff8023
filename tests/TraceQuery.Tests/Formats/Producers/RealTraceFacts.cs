using System.Globalization;
using System.Text.Json;
using TraceQuery.Model;

namespace TraceQuery.Tests.Formats.Producers;

/// <summary>
/// The reading facts of one <c>expected.json</c> entry, each set beside what the model read: counts of records,
/// spans, threads and links, thread names, unclosed spans and error messages. Definitions follow
/// <c>tools/chrome_facts.py</c> and <c>tools/otlp_facts.py</c> of the fixture folder.
/// </summary>
internal static class RealTraceFacts
{
    /// <summary>One fact: its name, the expected and the read value as text, and whether they agree.</summary>
    public readonly record struct Fact(string Name, string Expected, string Actual, bool Holds)
    {
        public static Fact Equal(string name, long expected, long? actual) =>
            new(name, Text(expected), actual is { } a ? Text(a) : "nothing (not counted)", actual == expected);

        public static Fact AtLeast(string name, long expected, long actual) =>
            new(name, "at least " + Text(expected), Text(actual), actual >= expected);

        public static Fact Contains(string name, IReadOnlyCollection<string> expected, IReadOnlyCollection<string> actual)
        {
            var missing = expected.Where(e => !actual.Contains(e)).ToArray();
            return new(name, "[" + string.Join(", ", expected) + "]", missing.Length == 0 ? "all of them" : "missing [" + string.Join(", ", missing) + "]", missing.Length == 0);
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>OTLP: records are spans plus log records; "threads" are services (resource service.name), the model's modules.</summary>
    public static List<Fact> Otlp(JsonElement expected, ExecutionTrace trace)
    {
        var spans = trace.Spans;
        int logSpans = 0, openSpans = 0;
        for (int s = 0; s < spans.Count; s++)
        {
            if (trace.Symbols.GetName(spans.Get(s).FunctionId).StartsWith("log.", StringComparison.Ordinal))
                logSpans++;
            else if (spans.GetEndEvent(s) < 0)
                openSpans++;
        }
        var services = trace.Symbols.Modules.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        var facts = new List<Fact>
        {
            Fact.Equal("records", expected.GetProperty("records").GetInt64(), trace.Metadata.RecordsRead),
            Fact.Equal("spans", expected.GetProperty("spans").GetInt64(), spans.Count - logSpans),
            Fact.Equal("log_records", expected.GetProperty("log_records").GetInt64(), logSpans),
            Fact.Equal("links", expected.GetProperty("links").GetInt64(), trace.Links.Count),
            Fact.Equal("threads (services)", expected.GetProperty("threads").GetInt64(), services.Count),
            Fact.Contains("thread_names (services)", Strings(expected.GetProperty("thread_names")), services),
            Fact.Equal("unclosed_total", expected.GetProperty("unclosed_total").GetInt64(), openSpans),
            Fact.Equal("orphans (warned)", expected.GetProperty("orphans").GetInt64(),
                trace.Metadata.Warnings.Where(w => w.Contains("name a parent span that is not in the file", StringComparison.Ordinal))
                    .Select(w => long.Parse(w.AsSpan(0, w.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture)).Sum()),
            Fact.Equal("skipped records", 0, trace.Metadata.SkippedRecords.Sum(k => k.Count)),
        };
        facts.Add(Errors(expected, ErrorTexts(trace)));
        return facts;
    }

    /// <summary>Chrome: records are entries of <c>traceEvents</c>; threads are (pid, tid) pairs with a record other than metadata.</summary>
    public static List<Fact> Chrome(JsonElement expected, ExecutionTrace trace)
    {
        // The tool's definitions: spans are X records and paired B/E on (pid, tid) stacks (a B never ended is not one);
        // async spans are paired b/e and S/F; threads are (pid, tid) pairs with a record other than metadata, whatever
        // they hold (a GPU stream is one; the reader's per-process async tracks are not).
        var spans = trace.Spans;
        int threadSpans = 0, asyncSpans = 0, open = 0;
        for (int s = 0; s < spans.Count; s++)
        {
            var track = spans.GetTrack(s);
            bool instant = (spans.GetMarks(s) & SpanMarks.Instant) != 0;
            bool ended = spans.GetEndEvent(s) >= 0;
            if (track != SpanTrack.Async && !instant && ended)
                threadSpans++;
            else if (track == SpanTrack.Async && !instant && ended)
                asyncSpans++;
            if (!ended)
                open++;
        }
        var threads = trace.Threads.Where(t => t.Track != SpanTrack.Async).ToArray();
        // A thread's name as the producer wrote it, or the last part of a label that adds the process ("Browser: CrBrowserMain").
        var names = trace.Threads.SelectMany(t => new[] { t.Name, t.Label, t.Label[(t.Label.LastIndexOf(": ", StringComparison.Ordinal) + 1)..].TrimStart() })
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        var flows = expected.GetProperty("flows");
        long flowsWithBothEnds = flows.GetProperty("ids_with_start").GetInt64() - flows.GetProperty("ids_start_only").GetInt64();
        long flowLinks = trace.Links.Count(l => l.Kind.StartsWith("flow", StringComparison.Ordinal));
        var facts = new List<Fact>
        {
            Fact.Equal("records", expected.GetProperty("records").GetInt64(), trace.Metadata.RecordsRead),
            Fact.Equal("spans", expected.GetProperty("spans").GetInt64(), threadSpans),
            Fact.Equal("async_spans", expected.GetProperty("async_spans").GetInt64(), asyncSpans),
            Fact.Equal("threads", expected.GetProperty("threads").GetInt64(), threads.Length),
            Fact.Contains("thread_names", Strings(expected.GetProperty("thread_names")), names),
            Fact.AtLeast("flows (links, one per flow id with both ends at least)", flowsWithBothEnds, flowLinks),
            Fact.Equal("unclosed_total", expected.GetProperty("unclosed_total").GetInt64(), open),
        };
        if (expected.TryGetProperty("samples", out var samples) && samples.ValueKind == JsonValueKind.Object)
            facts.Add(Fact.Equal("samples", samples.GetProperty("samples").GetInt64(), trace.Metadata.CpuSamples));
        facts.Add(Errors(expected, ErrorTexts(trace)));
        return facts;
    }

    /// <summary>Every expected error message occurs in some error text the trace shows (an EXCEPTION message, an attribute, a log body).</summary>
    private static Fact Errors(JsonElement expected, List<string> texts)
    {
        var messages = expected.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).Distinct(StringComparer.Ordinal).ToArray();
        var missing = messages.Where(m => !texts.Any(t => t.Contains(m, StringComparison.Ordinal) || Url(m) is { } url && t.Contains(url, StringComparison.Ordinal))).ToArray();
        return new Fact("errors", Text(messages.Length) + " distinct message(s)",
            missing.Length == 0 ? "all shown" : "not shown: " + string.Join(" | ", missing), missing.Length == 0);
    }

    /// <summary>The URL a Chrome error fact names (its message is the tool's own sentence around it), or null.</summary>
    private static string? Url(string message)
    {
        int at = message.IndexOf("http", StringComparison.Ordinal);
        if (at < 0)
            return null;
        int end = message.IndexOf(' ', at);
        return end < 0 ? message[at..] : message[at..end];
    }

    private static List<string> ErrorTexts(ExecutionTrace trace)
    {
        // The reader's warnings carry what a file says beside its records (Kineto's top-level ERROR list).
        var texts = new List<string>(trace.Metadata.Warnings);
        for (int e = 0; e < trace.EventCount; e++)
        {
            var kind = (EventKind)trace.Kinds[e];
            if (trace.TryGetMessage(e, out string message) && (kind == EventKind.Exception || trace.GetFunctionName(trace.FunctionOrdinals[e]).StartsWith("log.", StringComparison.Ordinal)))
                texts.Add(message);
            if (trace.TryGetAttributes(e, out var attributes))
                texts.AddRange(attributes.Select(a => a.Key + "=" + a.Value));
        }
        return texts;
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
