using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Filtering.Internals;

/// <summary>
/// Turns a filter AST into a plan over one trace's columns. Name predicates are evaluated here, once per
/// distinct function (never per event), and become function-ordinal sets; time windows become index
/// ranges found by binary search in each thread's sorted timestamps; durations become a bitmap over the
/// RETURN events that close matching spans. Span predicates (<c>dur</c>, <c>self</c>, <c>status</c>) become a bitmap
/// over the opening events of matching spans, and span operators evaluate both sides over the whole trace first
/// and combine them with <see cref="SpanRelations"/>, so their result is again a bitmap.
/// </summary>
internal static class FilterCompiler
{
    /// <summary>
    /// Compiles <paramref name="node"/> for <paramref name="trace"/>. Span operators are evaluated here (both sides over
    /// the whole trace).
    /// </summary>
    public static FilterPlan Compile(FilterNode node, ExecutionTrace trace) => Simplify(node switch
    {
        AllNode => new ConstantPlan(true),
        AndNode and => new AndPlan(Compile(and.Left, trace), Compile(and.Right, trace)),
        OrNode or => new OrPlan(Compile(or.Left, trace), Compile(or.Right, trace)),
        NotNode not => new NotPlan(Compile(not.Operand, trace)),
        SpanRelationNode relation => CompileRelation(relation, trace),
        SpanDurationTerm duration => CompileSpanTimes(duration.Op, duration.Nanoseconds, trace, selfTimes: false),
        SelfTimeTerm self => CompileSpanTimes(self.Op, self.Nanoseconds, trace, selfTimes: true),
        SpanStatusTerm status => CompileStatuses(status.Statuses, trace),
        KindTerm kind => CompileKinds(kind.Kinds),
        ThreadTerm thread => CompileThreads(thread, trace),
        NameTerm name => Functions(trace, FunctionNameMatcher.Match(name, trace)),
        WordTerm word => CompileWord(word, trace),
        DepthTerm depth => new DepthPlan(depth.Op, depth.Value),
        TimeTerm time => CompileTime(time, trace),
        DurationTerm duration => CompileDuration(duration, trace),
        DetailTerm detail => new DetailPlan(detail.HasDetail),
        ArgTerm arg => CompileArg(arg, trace),
        _ => throw new NotSupportedException($"Filter node {node.GetType().Name} cannot be evaluated yet."),
    });

    /// <summary>Folds constants so that, e.g., a name that matches nothing makes its whole conjunction free.</summary>
    private static FilterPlan Simplify(FilterPlan plan) => plan switch
    {
        AndPlan and => and.Fold(),
        OrPlan or => or.Fold(),
        NotPlan { Operand: ConstantPlan c } => new ConstantPlan(!c.Value),
        _ => plan,
    };

    private static FilterPlan CompileKinds(IReadOnlyList<EventKind> kinds)
    {
        if (kinds.Count == 0)
            return new ConstantPlan(false);
        byte a = (byte)kinds[0];
        byte b = kinds.Count > 1 ? (byte)kinds[1] : a;
        byte c = kinds.Count > 2 ? (byte)kinds[2] : a;
        return new KindPlan(a, b, c);
    }

    private static FilterPlan CompileThreads(ThreadTerm term, ExecutionTrace trace)
    {
        var ranges = new List<(int, int)>();
        foreach (var thread in trace.Threads)
        {
            if (thread.Count > 0 && term.ThreadIds.Contains(thread.Id))
                ranges.Add((thread.Start, thread.End));
        }
        return ranges.Count == 0 ? new ConstantPlan(false) : new RangesPlan(ranges);
    }

    private static FilterPlan CompileTime(TimeTerm term, ExecutionTrace trace)
    {
        long from = term.FromNs is { } f ? SaturatingAdd(trace.TimeStartNs, f) : long.MinValue;
        long to = term.ToNs is { } t ? SaturatingAdd(trace.TimeStartNs, t) : long.MaxValue;
        var ranges = new List<(int, int)>();
        if (from < to)
        {
            var timestamps = trace.Timestamps;
            foreach (var thread in trace.Threads)
            {
                var times = timestamps.Slice(thread.Start, thread.Count);
                int lo = ExecutionTrace.LowerBound(times, from), hi = to == long.MaxValue ? times.Length : ExecutionTrace.LowerBound(times, to);
                if (lo < hi)
                    ranges.Add((thread.Start + lo, thread.Start + hi));
            }
        }
        return ranges.Count == 0 ? new ConstantPlan(false) : new RangesPlan(ranges);
    }

    private static FilterPlan CompileDuration(DurationTerm term, ExecutionTrace trace)
    {
        var words = new ulong[Selection.WordCount(trace.EventCount)];
        var spans = trace.Spans;
        var statuses = spans.Statuses;
        var ends = spans.EndEvents;
        var starts = spans.StartEvents;
        var timestamps = trace.Timestamps;
        for (int s = 0; s < spans.Count; s++)
        {
            if (statuses[s] is not (SpanStatus.Complete or SpanStatus.Error))
                continue;
            int end = ends[s];
            long duration = timestamps[end] - timestamps[starts[s]];
            bool match = ComparisonEvaluator.Holds(term.Op, duration, term.Nanoseconds);
            if (match)
                words[end >> 6] |= 1UL << end;
        }
        return new BitmapPlan(words);
    }

    private static FilterPlan CompileRelation(SpanRelationNode node, ExecutionTrace trace)
    {
        var outer = Compile(node.Outer, trace);
        var inner = Compile(node.Inner, trace);
        if (inner is ConstantPlan { Value: false } || trace.EventCount == 0)
            return new ConstantPlan(false);
        var tree = trace.SpanTree;
        var outerWords = FilterPlan.EvaluateAll(outer, trace);
        var innerWords = FilterPlan.EvaluateAll(inner, trace);
        return new BitmapPlan(SpanRelations.Evaluate(node.Relation, outerWords, innerWords, trace.Spans, tree));
    }

    private static FilterPlan CompileSpanTimes(ComparisonOperator op, long nanoseconds, ExecutionTrace trace, bool selfTimes)
    {
        var words = new ulong[Selection.WordCount(trace.EventCount)];
        if (trace.EventCount == 0)
            return new BitmapPlan(words);
        var tree = trace.SpanTree;
        var times = selfTimes ? tree.SelfTimes : tree.Durations;
        var starts = trace.Spans.StartEvents;
        for (int s = 0; s < times.Length; s++)
        {
            long time = times[s];
            bool match = ComparisonEvaluator.Holds(op, time, nanoseconds);
            if (match)
            {
                int start = starts[s];
                words[start >> 6] |= 1UL << start;
            }
        }
        return new BitmapPlan(words);
    }

    /// <summary>
    /// A bitmap over the CALLs whose span attributes match: one walk over the sparse attribute table (only the spans that
    /// have attributes), never over the columns. A glob with no wildcard compares whole values without the glob.
    /// </summary>
    private static FilterPlan CompileArg(ArgTerm term, ExecutionTrace trace)
    {
        var events = trace.EventsWithAttributes;
        if (events.Length == 0)
            return new ConstantPlan(false);
        var words = new ulong[Selection.WordCount(trace.EventCount)];
        bool any = false;
        for (int i = 0; i < events.Length; i++)
        {
            var attributes = trace.GetAttributesAt(i);
            for (int a = 0; a < attributes.Count; a++)
            {
                var (key, value) = attributes[a];
                if (term.Key is not null && !string.Equals(key, term.Key, StringComparison.OrdinalIgnoreCase))
                    continue;
                if (!Glob.IsMatch(term.Pattern, value))
                    continue;
                int e = events[i];
                words[e >> 6] |= 1UL << e;
                any = true;
                break;
            }
        }
        return any ? new BitmapPlan(words) : new ConstantPlan(false);
    }

    private static FilterPlan CompileStatuses(IReadOnlyList<SpanStatus> wanted, ExecutionTrace trace)
    {
        if (wanted.Count == 0)
            return new ConstantPlan(false);
        var words = new ulong[Selection.WordCount(trace.EventCount)];
        var spans = trace.Spans;
        var statuses = spans.Statuses;
        var starts = spans.StartEvents;
        int mask = 0;
        foreach (var status in wanted)
            mask |= 1 << ((int)status & 31);
        for (int s = 0; s < statuses.Length; s++)
        {
            if ((mask & (1 << ((int)statuses[s] & 31))) != 0)
            {
                int start = starts[s];
                words[start >> 6] |= 1UL << start;
            }
        }
        return new BitmapPlan(words);
    }

    private static FilterPlan CompileWord(WordTerm term, ExecutionTrace trace)
    {
        var membership = new bool[trace.FunctionIds.Length];
        for (int o = 0; o < membership.Length; o++)
        {
            ulong id = trace.FunctionIds[o];
            membership[o] = trace.Symbols.GetName(id).Contains(term.Word, StringComparison.OrdinalIgnoreCase)
                || trace.Symbols.GetModuleName(id).Contains(term.Word, StringComparison.OrdinalIgnoreCase);
        }
        var names = Functions(trace, membership);
        if (!term.MatchesExceptions)
            return names;
        var exceptions = new KindPlan((byte)EventKind.Exception, (byte)EventKind.Exception, (byte)EventKind.Exception);
        return names is ConstantPlan { Value: false } ? exceptions : new OrPlan(names, exceptions);
    }

    private static FilterPlan Functions(ExecutionTrace trace, bool[] membership)
    {
        int members = 0;
        foreach (bool m in membership)
            members += m ? 1 : 0;
        if (members == 0)
            return new ConstantPlan(false);
        if (members == membership.Length)
            return new ConstantPlan(true);
        return new FunctionSetPlan(membership);
    }

    private static long SaturatingAdd(long a, long b)
    {
        long sum = unchecked(a + b);
        if (((a ^ sum) & (b ^ sum)) < 0)
            return b > 0 ? long.MaxValue : long.MinValue;
        return sum;
    }
}
