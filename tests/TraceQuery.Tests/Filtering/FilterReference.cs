using System.Text.RegularExpressions;
using TraceQuery.Filtering;
using TraceQuery.Model;

namespace TraceQuery.Tests.Filtering;

/// <summary>A plain per-event evaluation of a filter tree: the reference the vectorized evaluation must equal.</summary>
internal static class FilterReference
{
    public static HashSet<int> Evaluate(FilterNode node, ExecutionTrace trace)
    {
        var durations = ReturnDurations(trace);
        var result = new HashSet<int>();
        for (int i = 0; i < trace.EventCount; i++)
        {
            if (Matches(node, trace, i, durations))
                result.Add(i);
        }
        return result;
    }

    /// <summary>Duration of the span each RETURN closes, by a naive stack walk (well-formed traces only).</summary>
    private static Dictionary<int, long> ReturnDurations(ExecutionTrace trace)
    {
        var result = new Dictionary<int, long>();
        foreach (var thread in trace.Threads)
        {
            var open = new Stack<int>();
            for (int i = thread.Start; i < thread.End; i++)
            {
                if (trace.Kinds[i] == (byte)EventKind.Call)
                    open.Push(i);
                else if (trace.Kinds[i] == (byte)EventKind.Return && open.Count > 0)
                    result[i] = trace.Timestamps[i] - trace.Timestamps[open.Pop()];
            }
        }
        return result;
    }

    private static bool Matches(FilterNode node, ExecutionTrace trace, int i, Dictionary<int, long> durations)
    {
        var e = trace.GetEvent(i);
        string name = trace.Symbols.GetName(e.FunctionId);
        var module = trace.Symbols.GetModule(e.FunctionId);
        return node switch
        {
            AllNode => true,
            AndNode a => Matches(a.Left, trace, i, durations) && Matches(a.Right, trace, i, durations),
            OrNode o => Matches(o.Left, trace, i, durations) || Matches(o.Right, trace, i, durations),
            NotNode n => !Matches(n.Operand, trace, i, durations),
            KindTerm k => k.Kinds.Contains(e.Kind),
            ThreadTerm t => t.ThreadIds.Contains(e.ThreadId),
            NameTerm { Field: NameField.Function } f => Pattern(f).IsMatch(name),
            NameTerm m => module is null
                ? Pattern(m).IsMatch(SymbolTable.UnknownModuleName(e.ModuleId))
                : Pattern(m).IsMatch(module.FileName) || Pattern(m).IsMatch(module.Path),
            WordTerm w => name.Contains(w.Word, StringComparison.OrdinalIgnoreCase)
                || trace.Symbols.GetModuleName(e.FunctionId).Contains(w.Word, StringComparison.OrdinalIgnoreCase)
                || (w.MatchesExceptions && e.Kind == EventKind.Exception),
            DepthTerm d => Compare(e.CallDepth, d.Op, d.Value),
            TimeTerm t => (t.FromNs is null || (long)e.TimestampNs - trace.TimeStartNs >= t.FromNs)
                && (t.ToNs is null || (long)e.TimestampNs - trace.TimeStartNs < t.ToNs),
            DurationTerm d => durations.TryGetValue(i, out long duration) && Compare(duration, d.Op, d.Nanoseconds),
            DetailTerm d => e.HasDetail == d.HasDetail,
            _ => throw new NotSupportedException(node.GetType().Name),
        };
    }

    private static Regex Pattern(NameTerm term) => term.Kind == NamePatternKind.Regex
        ? new Regex(term.Pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)
        : new Regex("^" + Regex.Escape(term.Pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private static bool Compare<T>(T value, ComparisonOperator op, T constant)
        where T : IComparable<T>
    {
        int c = value.CompareTo(constant);
        return op switch
        {
            ComparisonOperator.Equal => c == 0,
            ComparisonOperator.NotEqual => c != 0,
            ComparisonOperator.Less => c < 0,
            ComparisonOperator.LessOrEqual => c <= 0,
            ComparisonOperator.Greater => c > 0,
            _ => c >= 0,
        };
    }
}
