using TraceQuery.Model;
using TraceQuery.Text;
using static TraceQuery.Analysis.Internals.FindingText;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Errors recorded without an exception: spans that ended with an error status (folded per function, with their
/// messages) and log records at ERROR or FATAL (one finding per distinct body, tied to the span they were logged in).
/// Where an error propagates up the call tree (a callee failed first), the callee's finding ranks first: it names the
/// root cause, the caller's says how many of its errors followed a failed callee.
/// </summary>
internal static class ErrorDetector
{
    /// <summary>Distinct messages quoted per finding.</summary>
    private const int MaxMessages = 3;

    public static IEnumerable<Finding> Detect(SpanStatistics stats, List<int> exceptionEvents, AnalyzerOptions options)
    {
        var trace = stats.Trace;
        var spans = stats.Spans;
        var errorCalls = trace.EventsWithErrorStatus;
        var findings = new List<Finding>();
        if (errorCalls.Length > 0)
        {
            var propagation = new FailurePropagation(trace, exceptionEvents);
            var byFunction = new SortedDictionary<ulong, List<int>>();
            foreach (int e in errorCalls)
            {
                int s = spans.SpanOfEvent[e];
                // A span that raised an exception is reported with its exceptions (type and message).
                if (s < 0 || !stats.IsIncluded(s) || spans.RaisedException(s))
                    continue;
                ulong fn = trace.GetFunctionId(e);
                if (!byFunction.TryGetValue(fn, out var list))
                    byFunction[fn] = list = [];
                list.Add(s);
            }
            foreach (var (fn, list) in byFunction)
            {
                int followed = list.Count(propagation.FollowedFailedCallee);
                int own = list.Count - followed;
                var messages = new List<string>();
                foreach (int s in list)
                {
                    if (messages.Count < MaxMessages && trace.TryGetErrorStatus(spans.StartEvents[s], out string message)
                        && message.Length > 0 && !messages.Contains(message))
                        messages.Add(message);
                }
                var threads = list.Select(s => trace.GetThreadOfEvent(spans.StartEvents[s]).Id).Distinct().Order().ToList();
                var evidence = new List<EvidenceRef> { EvidenceRef.ForFunction(fn) };
                evidence.AddRange(list.Take(options.Exemplars).Select(EvidenceRef.ForSpan));
                string first = messages.Count > 0 ? ": " + TextFormat.Message(messages[0]) : "";
                var f = new FigureSet();
                var count = f.Add("spans", FigureMeasure.Count, FigureBasis.ErrorSpans, list.Count, EvidenceRef.ForFunction(fn));
                var after = followed == 0 ? (Figure?)null
                    : f.Add("after a failed callee", FigureMeasure.Count, FigureBasis.ErrorSpansAfterFailedCallee, followed, EvidenceRef.ForFunction(fn), printed: followed < list.Count);
                findings.Add(new Finding(
                    FindingKind.Error,
                    Severity.Medium,
                    $"{Name(trace, fn)} ended with error status{first}" + (list.Count > 1 ? $" ({count} spans)" : ""),
                    $"{count} span{(list.Count == 1 ? "" : "s")} of {Name(trace, fn)} ({trace.Symbols.GetModuleName(fn)}) on thread{(threads.Count == 1 ? "" : "s")} "
                    + $"{string.Join(", ", threads)} ended with error status"
                    + (messages.Count == 0 ? " (no message)." : ": " + string.Join("; ", messages.Select(m => TextFormat.Message(m))) + ".")
                    + CrashDetector.Followed(after, list.Count),
                    evidence,
                    fn,
                    // Root causes (no failed callee) rank before the callers they failed.
                    Score: RootCauseScore(own, list.Count))
                { Figures = f.Figures });
            }
        }

        // Log records at ERROR or FATAL (the OTLP reader names them log.<SEVERITY>); one finding per distinct body.
        var logs = new SortedDictionary<(int Rank, string Body), List<int>>();
        for (int ordinal = 0; ordinal < trace.FunctionIds.Length; ordinal++)
        {
            string name = trace.GetFunctionName(ordinal);
            int rank = name switch { "log.FATAL" => 0, "log.ERROR" => 1, _ => -1 };
            if (rank < 0)
                continue;
            foreach (int s in stats.Group(ordinal))
            {
                int e = spans.StartEvents[s];
                string body = trace.TryGetMessage(e, out string message) ? message : "";
                if (!logs.TryGetValue((rank, body), out var list))
                    logs[(rank, body)] = list = [];
                list.Add(s);
            }
        }
        foreach (var ((rank, body), list) in logs)
        {
            int e = spans.StartEvents[list[0]];
            foreach (int s in list)
            {
                int start = spans.StartEvents[s];
                if (trace.Timestamps[start] < trace.Timestamps[e])
                    e = start; // the first record in time
            }
            ulong fn = trace.GetFunctionId(e);
            string severity = rank == 0 ? "FATAL" : "ERROR";
            var owners = list.Select(s => spans.Parents[s]).Where(p => p >= 0).Distinct().ToList();
            var evidence = new List<EvidenceRef> { EvidenceRef.ForEvent(trace.GetEventRef(e)) };
            evidence.AddRange(owners.Take(options.Exemplars).Select(EvidenceRef.ForSpan));
            string where = owners.Count == 0 ? ""
                : $" in span{(owners.Count == 1 ? "" : "s")} {string.Join(", ", owners.Take(options.Exemplars).Select(p => Name(trace, trace.GetFunctionId(spans.StartEvents[p])) + " span:" + p))}";
            var figures = new FigureSet();
            var eventRef = trace.GetEventRef(e);
            var records = figures.Event("records", FigureMeasure.Count, FigureBasis.LogRecords, list.Count, eventRef);
            var firstAt = figures.Event("first", FigureMeasure.Time, FigureBasis.EventTime, trace.Timestamps[e] - trace.TimeStartNs, eventRef);
            findings.Add(new Finding(
                FindingKind.Error,
                rank == 0 ? Severity.High : Severity.Medium,
                $"{severity} log from {trace.Symbols.GetModuleName(fn)}: {(body.Length == 0 ? "(no body)" : TextFormat.Message(body))}",
                $"{records} log record{(list.Count == 1 ? "" : "s")} at {severity}{where}, first at "
                + $"{firstAt}: {(body.Length == 0 ? "(no body)" : TextFormat.Message(body))}.",
                evidence,
                fn,
                Score: 500 + list.Count)
            { Figures = figures.Figures });
        }
        return findings;
    }

    /// <summary>Failures without a failed callee (root causes) rank before those that only followed one; then by count.</summary>
    public static double RootCauseScore(int rootCauses, int count) => rootCauses * 1_000 + count;
}
