using System.Globalization;
using System.Text.RegularExpressions;
using TraceQuery.Analysis;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Tests.Analysis;

/// <summary>
/// The finding auditor: recomputes every figure a finding prints from the trace with its own straightforward
/// computation (sorting, summing and counting over the trace's spans, events, stack samples and, for a recovered ATF
/// thread, its files' bytes — not the analyzer's code), for every finding kind, and lists what does not hold: a figure
/// whose value or text differs from its recomputation, a printed figure missing from the text, a number in the text
/// that no figure accounts for, a ratio over a 0 base, a ratio, sum, difference or larger-of over two different
/// measures, and a self-time figure in a clause that does not say "self" or "itself".
/// </summary>
internal static partial class FindingAuditor
{
    public static List<string> Audit(ExecutionTrace trace, IEnumerable<Finding> findings, AnalyzerOptions? options = null)
    {
        var facts = new TraceFacts(trace);
        var settings = Settings(options ?? AnalyzerOptions.Default);
        var failures = new List<string>();
        foreach (var finding in findings)
        {
            string text = finding.Title + ". " + finding.Rationale;
            string at = $"[{finding.Kind}] {finding.Title}";
            var figures = finding.Figures;
            var values = new double[figures.Count];
            for (int i = 0; i < figures.Count; i++)
            {
                var f = figures[i];
                string where = $"{at} · figure {i} '{f.Name}' ({f.Measure}, {f.Basis}) = {f.Text}";
                if (f.Text != Render(f.Measure, f.Value))
                    failures.Add($"{where}: text is not its value {f.Value.ToString(CultureInfo.InvariantCulture)}");
                if (f.Printed && !text.Contains(f.Text, StringComparison.Ordinal))
                    failures.Add($"{where}: printed figure not in the text");
                double? expected = Recompute(facts, settings, f, figures, values, out string? problem);
                if (problem is not null)
                {
                    failures.Add($"{where}: {problem}");
                    values[i] = f.Value;
                    continue;
                }
                values[i] = expected!.Value;
                if (!Close(f.Measure, f.Value, expected.Value) || Render(f.Measure, expected.Value) != f.Text)
                    failures.Add($"{where}: recomputed {Render(f.Measure, expected.Value)} ({expected.Value.ToString(CultureInfo.InvariantCulture)})");
                if (f.Printed && f.Measure == FigureMeasure.SelfTime && !SelfTimeLabelled(text, f.Text))
                    failures.Add($"{where}: a self time in a clause that does not say self time");
            }
            string rest = Unexplained(trace, finding, text);
            if (rest.Length > 0)
                failures.Add($"{at}: numbers no figure accounts for: {rest}");
        }
        return failures;
    }

    private static bool Close(FigureMeasure measure, double actual, double expected) =>
        measure is FigureMeasure.Count or FigureMeasure.Depth or FigureMeasure.Bytes
            ? Math.Abs(actual - expected) < 0.5
            : Math.Abs(actual - expected) <= 1 + (1e-9 * Math.Abs(expected));

    /// <summary>The printed form, written out here so that the auditor does not share the analyzer's renderer for ratios and shares.</summary>
    public static string Render(FigureMeasure measure, double value) => measure switch
    {
        FigureMeasure.Count or FigureMeasure.Depth or FigureMeasure.Bytes => TraceText.Count((long)Math.Round(value)),
        FigureMeasure.Ratio => value.ToString(value < 10 ? "0.#" : "0", CultureInfo.InvariantCulture) + "×",
        FigureMeasure.Share => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
        _ => TraceText.Duration(value),
    };

    private static double? Recompute(TraceFacts facts, HashSet<double> settings, FindingFigure f, IReadOnlyList<FindingFigure> figures, double[] values, out string? problem)
    {
        problem = null;
        double Operand(int index, string side)
        {
            if (index < 0 || index >= figures.Count)
                throw new AuditException($"{side} operand {index} is not an earlier figure");
            return values[index];
        }
        try
        {
            var subject = f.Subject;
            bool self = f.Measure == FigureMeasure.SelfTime;
            switch (f.Basis)
            {
                case FigureBasis.Setting:
                    if (!settings.Contains(f.Value))
                        problem = "not an analyzer option";
                    return f.Value;
                case FigureBasis.SpanDuration:
                    return subject is null ? facts.TraceLength : facts.Duration(Span(subject));
                case FigureBasis.SpanSelfTime:
                    return facts.Self(Span(subject));
                case FigureBasis.Calls:
                    return facts.Values(Function(subject, allowed: true), self).Count;
                case FigureBasis.Total:
                    return facts.Values(Function(subject, allowed: true), self).Sum(v => (double)v);
                case FigureBasis.Percentile:
                    return Percentile(facts.Values(Function(subject), self), f.Argument);
                case FigureBasis.Maximum:
                    return facts.Values(Function(subject), self).Max();
                case FigureBasis.CallsAtLeast:
                    {
                        double limit = Operand(f.Left, "left");
                        return facts.Values(Function(subject), figures[f.Left].Measure == FigureMeasure.SelfTime).Count(v => v >= limit);
                    }
                case FigureBasis.ExcessOver:
                    {
                        double limit = Operand(f.Left, "left"), typical = Operand(f.Right, "right");
                        var over = facts.Values(Function(subject), self).Where(v => v >= limit).ToList();
                        return over.Sum(v => v - typical);
                    }
                case FigureBasis.Exceptions:
                    return facts.Exceptions(Function(subject));
                case FigureBasis.Unmatched:
                    return facts.Unmatched(subject is null ? null : Function(subject), f.Name);
                case FigureBasis.EventTime:
                    return facts.Trace.Timestamps[facts.Event(Evt(subject))] - facts.Trace.TimeStartNs;
                case FigureBasis.EventDepth:
                    return facts.Trace.Depths[facts.Event(Evt(subject))];
                case FigureBasis.OpenFrames:
                    return facts.OpenAround(facts.Event(Evt(subject)));
                case FigureBasis.Quotient:
                    {
                        var left = figures[f.Left];
                        var right = figures[f.Right];
                        if (Group(left.Measure) != Group(right.Measure))
                            problem = $"a ratio of a {left.Measure} over a {right.Measure}";
                        double denominator = Operand(f.Right, "right");
                        if (denominator == 0)
                        {
                            problem = (problem is null ? "" : problem + "; ") + "a ratio over a 0 base";
                            return f.Value;
                        }
                        return Operand(f.Left, "left") / denominator;
                    }
                case FigureBasis.Product:
                    return Operand(f.Left, "left") * Operand(f.Right, "right");
                case FigureBasis.Sum:
                case FigureBasis.Difference:
                case FigureBasis.Larger:
                    {
                        double left = Operand(f.Left, "left"), right = Operand(f.Right, "right");
                        if (Group(figures[f.Left].Measure) != Group(figures[f.Right].Measure) || Group(figures[f.Left].Measure) != Group(f.Measure))
                            problem = $"a {f.Basis} of a {figures[f.Left].Measure} and a {figures[f.Right].Measure} as a {f.Measure}";
                        return f.Basis switch
                        {
                            FigureBasis.Sum => left + right,
                            FigureBasis.Difference => left - right,
                            _ => Math.Max(left, right),
                        };
                    }
                case FigureBasis.OpenAtEnd:
                    return facts.NeverEnded(facts.Event(Evt(subject)));
                case FigureBasis.EventsRecovered:
                case FigureBasis.IndexBytesIgnored:
                case FigureBasis.DetailBytesIgnored:
                case FigureBasis.DetailLinksDropped:
                    return AtfThreadFiles.Read(facts.Trace, Evt(subject).Thread).Get(f.Basis);
                case FigureBasis.ErrorSpans:
                    return facts.ErrorSpans(Function(subject)!.Value).Count;
                case FigureBasis.ErrorSpansAfterFailedCallee:
                    return facts.ErrorSpans(Function(subject)!.Value).Count(facts.HasFailedChild);
                case FigureBasis.SurvivedExceptions:
                    return facts.ExceptionEvents(Function(subject)!.Value).Count;
                case FigureBasis.ExceptionsAfterFailedCallee:
                    return facts.ExceptionEvents(Function(subject)!.Value).Count(e => facts.HasFailedChild(facts.Trace.Spans.SpanOfEvent[e]));
                case FigureBasis.LogRecords:
                    return facts.LogRecords(facts.Event(Evt(subject)));
                case FigureBasis.SampledCpu:
                case FigureBasis.SampledWaiting:
                case FigureBasis.SampledLeaf:
                case FigureBasis.SampledOnStack:
                case FigureBasis.SampledUnder:
                case FigureBasis.SampledPath:
                    if (f.Measure is not (FigureMeasure.Count or FigureMeasure.SampledTime))
                        throw new AuditException($"a sampled basis measured as {f.Measure}");
                    return facts.Sampled(f.Basis, subject is null ? null : Span(subject), f.Frames, f.Measure == FigureMeasure.Count);
                default:
                    problem = "a basis the auditor does not know: teach it before printing such a figure";
                    return f.Value;
            }
        }
        catch (AuditException e)
        {
            problem = e.Message;
            return f.Value;
        }
        catch (InvalidOperationException e) // Max or percentile of no calls
        {
            problem = e.Message;
            return f.Value;
        }
    }

    /// <summary>Duration, time and self time are kept apart; counts with counts.</summary>
    private static string Group(FigureMeasure measure) => measure switch
    {
        FigureMeasure.Duration or FigureMeasure.Time => "wall",
        FigureMeasure.SelfTime => "self",
        FigureMeasure.Count or FigureMeasure.Depth or FigureMeasure.Bytes => "count",
        _ => measure.ToString(),
    };

    private static int Span(EvidenceRef? subject) =>
        subject is { Kind: EvidenceKind.Span } s ? (int)s.Value : throw new AuditException("its subject is not a span");

    private static ulong? Function(EvidenceRef? subject, bool allowed = false) =>
        subject is { Kind: EvidenceKind.Function } s ? s.Value
        : subject is null && allowed ? null
        : throw new AuditException("its subject is not a function");

    private static EvidenceRef Evt(EvidenceRef? subject) =>
        subject is { Kind: EvidenceKind.Event } s ? s : throw new AuditException("its subject is not an event");

    /// <summary>Linear interpolation between closest ranks on the sorted values (position (n − 1)·p).</summary>
    public static double Percentile(IReadOnlyList<long> values, double p)
    {
        if (values.Count == 0)
            throw new AuditException("a percentile of no calls");
        var sorted = values.Order().ToArray();
        double position = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(position), hi = (int)Math.Ceiling(position);
        double d = position - lo;
        return (sorted[lo] * (1 - d)) + (sorted[hi] * d);
    }

    private static HashSet<double> Settings(AnalyzerOptions options) =>
        [.. typeof(AnalyzerOptions).GetProperties()
            .Where(p => p.PropertyType == typeof(long) || p.PropertyType == typeof(double) || p.PropertyType == typeof(int))
            .Select(p => Convert.ToDouble(p.GetValue(options), CultureInfo.InvariantCulture))];

    /// <summary>A self time must sit in a clause (between '.', ';' and ':' stops) that says "self" or "itself".</summary>
    private static bool SelfTimeLabelled(string text, string figure)
    {
        for (int at = text.IndexOf(figure, StringComparison.Ordinal); at >= 0; at = text.IndexOf(figure, at + 1, StringComparison.Ordinal))
        {
            int start = Math.Max(text.LastIndexOf(". ", at, StringComparison.Ordinal), text.LastIndexOf("; ", at, StringComparison.Ordinal));
            int end = text.IndexOfAny(['.', ';'], at + figure.Length);
            while (end >= 0 && end + 1 < text.Length && char.IsDigit(text[end + 1]))
                end = text.IndexOfAny(['.', ';'], end + 1); // a decimal point
            string clause = text[Math.Max(0, start)..(end < 0 ? text.Length : end)];
            if (clause.Contains("self", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>What is left of the text once figures, references, names, quoted messages and labels are taken out, if it has digits.</summary>
    private static string Unexplained(ExecutionTrace trace, Finding finding, string text)
    {
        text = Quoted().Replace(text, " ");
        text = References().Replace(text, " ");
        text = Labels().Replace(text, " ");
        var names = new List<string>();
        for (int o = 0; o < trace.FunctionIds.Length; o++)
        {
            names.Add(trace.GetFunctionName(o));
            names.Add(trace.Symbols.GetModuleName(trace.FunctionIds[o]));
        }
        foreach (var frame in trace.Samples.Frames)
        {
            names.Add(frame.Function);
            if (frame.Module is { } module)
                names.Add(module);
        }
        foreach (string name in names.Where(n => n.Any(char.IsDigit)).Distinct().OrderByDescending(n => n.Length))
            text = text.Replace(name, " ", StringComparison.Ordinal);
        foreach (var f in finding.Figures.Select(f => f.Text).Distinct().OrderByDescending(t => t.Length))
            text = text.Replace(f, " ", StringComparison.Ordinal);
        var digits = Numbers().Matches(text).Select(m => m.Value).ToList();
        return string.Join(", ", digits);
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"(?:span|event|fn):[0-9a-fx:]+|threads? \d+(?:, \d+)*", RegexOptions.IgnoreCase)]
    private static partial Regex References();

    [GeneratedRegex(@"\bp\d\d\b")]
    private static partial Regex Labels();

    [GeneratedRegex(@"\S*\d\S*")]
    private static partial Regex Numbers();

    private sealed class AuditException(string message) : Exception(message);

    /// <summary>
    /// What an ATF thread's files hold, read here from their bytes (ATF.md): events as the whole 32-byte records after the
    /// 64-byte index header (before the footer when there is one), the bytes left over, the whole detail records (stepped
    /// by their length prefix) and the events whose <c>detail_seq</c> points past them.
    /// </summary>
    private sealed record AtfThreadFiles(long Events, long IndexBytesLeft, long DetailBytesLeft, long DanglingLinks)
    {
        private const int Header = 64, Footer = 64, EventSize = 32;

        public double Get(FigureBasis basis) => basis switch
        {
            FigureBasis.EventsRecovered => Events,
            FigureBasis.IndexBytesIgnored => IndexBytesLeft,
            FigureBasis.DetailBytesIgnored => DetailBytesLeft,
            _ => DanglingLinks,
        };

        public static AtfThreadFiles Read(ExecutionTrace trace, uint thread)
        {
            string? session = trace.Metadata.SourcePath;
            string dir = session is null ? "" : Path.Combine(session, "thread_" + thread.ToString(CultureInfo.InvariantCulture));
            string indexPath = Path.Combine(dir, "index.atf");
            if (!File.Exists(indexPath))
                throw new AuditException($"no ATF thread files to recompute from ({indexPath})");
            byte[] index = File.ReadAllBytes(indexPath);
            bool indexFooter = index.Length >= Header + Footer && index.AsSpan(index.Length - Footer, 4).SequenceEqual("2ITA"u8);
            long body = Math.Max(0, index.Length - Header - (indexFooter ? Footer : 0));
            long events = body / EventSize;

            long records = 0, detailLeft = 0;
            string detailPath = Path.Combine(dir, "detail.atf");
            if (File.Exists(detailPath))
            {
                byte[] detail = File.ReadAllBytes(detailPath);
                int at = Math.Min(Header, detail.Length);
                while (detail.Length - at >= 24)
                {
                    if (detail.Length - at == Footer && detail.AsSpan(at, 4).SequenceEqual("2DTA"u8))
                        break;
                    int length = BitConverter.ToInt32(detail, at);
                    if (length < 24 || length > detail.Length - at)
                        break;
                    records++;
                    at += length;
                }
                bool footer = detail.Length - at == Footer && detail.AsSpan(at, 4).SequenceEqual("2DTA"u8);
                detailLeft = footer ? 0 : detail.Length - at;
            }
            long dangling = 0;
            for (long e = 0; e < events; e++)
            {
                uint seq = BitConverter.ToUInt32(index, (int)(Header + (e * EventSize) + 28));
                if (seq != uint.MaxValue && seq >= records)
                    dangling++;
            }
            return new AtfThreadFiles(events, body % EventSize, detailLeft, dangling);
        }
    }

    /// <summary>The trace's spans and events, as plain lists: durations, self times and calls per function, computed here.</summary>
    private sealed class TraceFacts
    {
        private readonly long[] _duration;
        private readonly long[] _self;
        private readonly Dictionary<ulong, List<int>> _byFunction = [];

        public TraceFacts(ExecutionTrace trace)
        {
            Trace = trace;
            var spans = trace.Spans;
            int n = spans.Count;
            _duration = new long[n];
            _self = new long[n];
            for (int s = 0; s < n; s++)
            {
                _duration[s] = spans.GetEndTime(s) - spans.GetStartTime(s);
                ulong fn = trace.GetFunctionId(spans.StartEvents[s]);
                if (!_byFunction.TryGetValue(fn, out var list))
                    _byFunction[fn] = list = [];
                list.Add(s);
            }
            var childTime = new long[n];
            for (int s = 0; s < n; s++)
            {
                if (spans.Parents[s] >= 0)
                    childTime[spans.Parents[s]] += _duration[s];
            }
            for (int s = 0; s < n; s++)
                _self[s] = _duration[s] - childTime[s];
            TraceLength = Math.Max(1, trace.TimeEndNs - trace.TimeStartNs);
        }

        public ExecutionTrace Trace { get; }
        public long TraceLength { get; }

        public long Duration(int span) => _duration[span];

        public long Self(int span) => _self[span];

        public List<long> Values(ulong? function, bool self)
        {
            var source = self ? _self : _duration;
            if (function is { } fn)
                return _byFunction.TryGetValue(fn, out var list) ? [.. list.Select(s => source[s])] : [];
            return [.. source];
        }

        public int Exceptions(ulong? function)
        {
            int count = 0;
            for (int e = 0; e < Trace.EventCount; e++)
            {
                if (Trace.Kinds[e] == (byte)EventKind.Exception && (function is null || Trace.GetFunctionId(e) == function))
                    count++;
            }
            return count;
        }

        public int Unmatched(ulong? function, string reason)
        {
            var spans = Trace.Spans;
            int count = 0;
            for (int s = 0; s < spans.Count; s++)
            {
                var status = spans.Statuses[s];
                if (status == SpanStatus.Complete || (function is { } fn && Trace.GetFunctionId(spans.StartEvents[s]) != fn))
                    continue;
                string why = status switch
                {
                    SpanStatus.Unwound => "unwound",
                    SpanStatus.OrphanReturn => "orphan-return",
                    _ when spans.GetEndEvent(s) >= 0 => "missing-return",
                    _ => (Trace.TimeEndNs - spans.GetEndTime(s)) * 100 <= TraceLength ? "trace-end" : "thread-end",
                };
                count += why == reason ? 1 : 0;
            }
            return count;
        }

        public int Event(EvidenceRef reference)
        {
            if (!Trace.TryGetThread(reference.Thread, out var thread))
                throw new AuditException($"no thread {reference.Thread}");
            for (int e = thread.Start; e < thread.End; e++)
            {
                if (Trace.GetEventRef(e).Seq == reference.Value)
                    return e;
            }
            throw new AuditException($"no event {reference}");
        }

        /// <summary>Spans on the event's thread that never ended: no end event of their own (neither RETURN nor an unwinding EXCEPTION).</summary>
        public int NeverEnded(int e)
        {
            var spans = Trace.Spans;
            var thread = Trace.GetThreadOfEvent(e);
            int count = 0;
            for (int s = 0; s < spans.Count; s++)
            {
                int start = spans.StartEvents[s];
                if (start >= thread.Start && start < thread.End && spans.GetEndEvent(s) < 0)
                    count++;
            }
            return count;
        }

        private HashSet<int>? _failed;

        /// <summary>Spans that failed: one an EXCEPTION event belongs to, or one whose CALL carries an error status.</summary>
        private HashSet<int> Failed
        {
            get
            {
                if (_failed is null)
                {
                    _failed = [];
                    for (int e = 0; e < Trace.EventCount; e++)
                    {
                        if (Trace.Kinds[e] == (byte)EventKind.Exception && Trace.Spans.SpanOfEvent[e] >= 0)
                            _failed.Add(Trace.Spans.SpanOfEvent[e]);
                    }
                    for (int s = 0; s < Trace.Spans.Count; s++)
                    {
                        if (Trace.TryGetErrorStatus(Trace.Spans.StartEvents[s], out _))
                            _failed.Add(s);
                    }
                }
                return _failed;
            }
        }

        private Dictionary<int, List<int>>? _children;

        /// <summary>True when a direct child of span <paramref name="span"/> failed.</summary>
        public bool HasFailedChild(int span)
        {
            if (_children is null)
            {
                _children = [];
                for (int s = 0; s < Trace.Spans.Count; s++)
                {
                    int parent = Trace.Spans.Parents[s];
                    if (parent < 0)
                        continue;
                    if (!_children.TryGetValue(parent, out var list))
                        _children[parent] = list = [];
                    list.Add(s);
                }
            }
            return span >= 0 && _children.TryGetValue(span, out var kids) && kids.Any(Failed.Contains);
        }

        /// <summary>Spans of <paramref name="function"/> with an error status on their CALL and no EXCEPTION event of their own.</summary>
        public List<int> ErrorSpans(ulong function)
        {
            var raised = new HashSet<int>();
            for (int e = 0; e < Trace.EventCount; e++)
            {
                if (Trace.Kinds[e] == (byte)EventKind.Exception)
                    raised.Add(Trace.Spans.SpanOfEvent[e]);
            }
            var list = new List<int>();
            if (!_byFunction.TryGetValue(function, out var calls))
                return list;
            foreach (int s in calls)
            {
                if (Trace.TryGetErrorStatus(Trace.Spans.StartEvents[s], out _) && !raised.Contains(s))
                    list.Add(s);
            }
            return list;
        }

        /// <summary>The EXCEPTION events raised in <paramref name="function"/> that their thread survived.</summary>
        public List<int> ExceptionEvents(ulong function)
        {
            var fatal = new HashSet<int>();
            foreach (var thread in Trace.Threads)
            {
                if (thread.Count == 0 || thread.Track != SpanTrack.Thread)
                    continue;
                int last = thread.End - 1;
                if (Trace.Kinds[last] == (byte)EventKind.Exception)
                {
                    fatal.Add(last);
                }
                else if (thread.Count >= 2 && Trace.Kinds[last] == (byte)EventKind.Return && Trace.Kinds[last - 1] == (byte)EventKind.Exception
                    && Trace.GetFunctionId(last) == Trace.GetFunctionId(last - 1) && Trace.Depths[last] == Trace.Depths[last - 1]
                    && NeverEnded(last) > 0)
                {
                    fatal.Add(last - 1);
                }
            }
            var list = new List<int>();
            for (int e = 0; e < Trace.EventCount; e++)
            {
                if (Trace.Kinds[e] == (byte)EventKind.Exception && Trace.GetFunctionId(e) == function && !fatal.Contains(e))
                    list.Add(e);
            }
            return list;
        }

        /// <summary>Spans whose CALL has the function name and the message (body) of event <paramref name="e"/>.</summary>
        public int LogRecords(int e)
        {
            string name = Trace.Symbols.GetName(Trace.GetFunctionId(e));
            string body = Trace.TryGetMessage(e, out string m) ? m : "";
            int count = 0;
            for (int s = 0; s < Trace.Spans.Count; s++)
            {
                int start = Trace.Spans.StartEvents[s];
                if (Trace.Symbols.GetName(Trace.GetFunctionId(start)) == name && (Trace.TryGetMessage(start, out string other) ? other : "") == body)
                    count++;
            }
            return count;
        }

        /// <summary>
        /// Stack samples in the scope (all, or those on span <paramref name="span"/>'s thread while it ran) that the basis
        /// selects, counted or weighed; each sample's stack is walked here from leaf to root.
        /// </summary>
        public double Sampled(FigureBasis basis, int? span, IReadOnlyList<string> frames, bool count)
        {
            var samples = Trace.Samples;
            uint? thread = null;
            long from = long.MinValue, to = long.MaxValue;
            if (span is { } s)
            {
                thread = Trace.GetThreadOfEvent(Trace.Spans.StartEvents[s]).Id;
                (from, to) = (Trace.Spans.GetStartTime(s), Trace.Spans.GetEndTime(s));
            }
            double total = 0;
            for (int i = 0; i < samples.Count; i++)
            {
                if ((thread is { } t && samples.ThreadIds[i] != t) || samples.TimestampsNs[i] < from || samples.TimestampsNs[i] >= to)
                    continue;
                bool cpu = samples.IsCpu(i);
                if (basis == FigureBasis.SampledWaiting ? cpu : !cpu)
                    continue;
                var stack = new List<string>(); // root first
                for (int x = samples.Stacks[i]; x >= 0; x = samples.GetStackParent(x))
                    stack.Insert(0, samples.Frames[samples.GetStackFrame(x)].Function);
                bool selected = basis switch
                {
                    FigureBasis.SampledCpu or FigureBasis.SampledWaiting => true,
                    FigureBasis.SampledLeaf => stack.Count > 0 && stack[^1] == frames[0],
                    FigureBasis.SampledOnStack => stack.Contains(frames[0]),
                    FigureBasis.SampledUnder => Enumerable.Range(1, Math.Max(0, stack.Count - 1)).Any(k => stack[k - 1] == frames[0] && stack[k] == frames[1]),
                    FigureBasis.SampledPath => stack.SequenceEqual(frames),
                    _ => throw new AuditException($"not a sampled basis: {basis}"),
                };
                if (selected)
                    total += count ? 1 : samples.WeightsNs[i];
            }
            return total;
        }

        /// <summary>Spans on the event's thread that started at or before it and had not returned before it.</summary>
        public int OpenAround(int e)
        {
            var spans = Trace.Spans;
            var thread = Trace.GetThreadOfEvent(e);
            int count = 0;
            for (int s = 0; s < spans.Count; s++)
            {
                int start = spans.StartEvents[s];
                if (start < thread.Start || start >= thread.End || start > e)
                    continue;
                int end = spans.GetEndEvent(s);
                count += end < 0 || end >= e ? 1 : 0;
            }
            return count;
        }
    }
}
