using TraceQuery.Model;

namespace TraceQuery.Analysis.Internals;

/// <summary>
/// Which failed spans only passed an error on: a span whose direct callee failed first (raised an exception or ended
/// with an error status) is a symptom; a failed span without a failed callee is a root cause. O(failures).
/// </summary>
internal sealed class FailurePropagation
{
    private readonly HashSet<int> _followedCallee = [];

    public FailurePropagation(ExecutionTrace trace, List<int> exceptionEvents)
    {
        var spans = trace.Spans;
        foreach (int e in trace.EventsWithErrorStatus)
            Mark(spans, e);
        foreach (int e in exceptionEvents)
            Mark(spans, e);
    }

    /// <summary>True when a direct callee of span <paramref name="span"/> failed.</summary>
    public bool FollowedFailedCallee(int span) => _followedCallee.Contains(span);

    private void Mark(CallSpans spans, int e)
    {
        if (spans.SpanOfEvent[e] is int s and >= 0 && spans.Parents[s] is int parent and >= 0)
            _followedCallee.Add(parent);
    }
}
