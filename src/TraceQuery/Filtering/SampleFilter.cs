using TraceQuery.Model;

namespace TraceQuery.Filtering;

/// <summary>
/// Evaluates a filter over a trace's stack samples (<see cref="ExecutionTrace.Samples"/>) instead of its events. The terms
/// that mean something for a sample select samples: <c>thread:</c> (the sample's thread), <c>time:</c> (the sample's time
/// since the trace's start), <c>fn:</c> and <c>module:</c> (any frame of the sample's stack matches; the leaf included),
/// a bare word (any frame's function or module contains it), combined with <c>and</c>/<c>or</c>/<c>not</c>. Terms about
/// events and spans (<c>kind:</c>, <c>depth</c>, durations, <c>status:</c>, <c>arg</c>, <c>detail:</c>, structural
/// operators) select no sample. O(frames + stacks + samples) per term.
/// </summary>
public static class SampleFilter
{
    /// <summary>One flag per sample (in <see cref="SampleTable"/> order): true when <paramref name="filter"/> selects it.</summary>
    public static bool[] Evaluate(EventFilter filter, ExecutionTrace trace)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(trace);
        return Evaluate(filter.Root, trace);
    }

    private static bool[] Evaluate(FilterNode node, ExecutionTrace trace)
    {
        var samples = trace.Samples;
        var result = new bool[samples.Count];
        switch (node)
        {
            case AllNode:
                Array.Fill(result, true);
                break;
            case AndNode and:
                {
                    var left = Evaluate(and.Left, trace);
                    var right = Evaluate(and.Right, trace);
                    for (int i = 0; i < result.Length; i++)
                        result[i] = left[i] && right[i];
                    break;
                }
            case OrNode or:
                {
                    var left = Evaluate(or.Left, trace);
                    var right = Evaluate(or.Right, trace);
                    for (int i = 0; i < result.Length; i++)
                        result[i] = left[i] || right[i];
                    break;
                }
            case NotNode not:
                {
                    var operand = Evaluate(not.Operand, trace);
                    for (int i = 0; i < result.Length; i++)
                        result[i] = !operand[i];
                    break;
                }
            case ThreadTerm thread:
                {
                    var threads = samples.ThreadIds;
                    for (int i = 0; i < result.Length; i++)
                        result[i] = thread.ThreadIds.Contains(threads[i]);
                    break;
                }
            case TimeTerm time:
                {
                    var times = samples.TimestampsNs;
                    for (int i = 0; i < result.Length; i++)
                    {
                        long since = times[i] - trace.TimeStartNs;
                        result[i] = (time.FromNs is not { } from || since >= from) && (time.ToNs is not { } to || since < to);
                    }
                    break;
                }
            case NameTerm name:
                {
                    var regex = FunctionNameMatcher.RegexOf(name);
                    BySampleStack(samples, result, frame => name.Field == NameField.Function
                        ? FunctionNameMatcher.Matches(name, regex, frame.Function)
                        : frame.Module is { } module && FunctionNameMatcher.Matches(name, regex, module));
                    break;
                }
            case WordTerm word:
                BySampleStack(samples, result, frame => frame.Function.Contains(word.Word, StringComparison.OrdinalIgnoreCase)
                    || (frame.Module?.Contains(word.Word, StringComparison.OrdinalIgnoreCase) ?? false));
                break;
            default:
                break; // a term about events or spans: no sample
        }
        return result;
    }

    /// <summary>Marks the samples with any frame on their stack for which <paramref name="matches"/> holds; each frame is tested once.</summary>
    private static void BySampleStack(SampleTable samples, bool[] result, Func<SampleFrame, bool> matches)
    {
        var frameMatches = new bool[samples.Frames.Count];
        for (int f = 0; f < frameMatches.Length; f++)
            frameMatches[f] = matches(samples.Frames[f]);
        // Parents come before children, so one forward pass says whether a stack holds a matching frame anywhere.
        var stackMatches = new bool[samples.StackCount];
        for (int s = 0; s < stackMatches.Length; s++)
        {
            int parent = samples.GetStackParent(s);
            stackMatches[s] = frameMatches[samples.GetStackFrame(s)] || (parent >= 0 && stackMatches[parent]);
        }
        var stacks = samples.Stacks;
        for (int i = 0; i < result.Length; i++)
            result[i] = stacks[i] >= 0 && stackMatches[stacks[i]];
    }
}
