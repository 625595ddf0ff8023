using System.Buffers;
using TraceQuery.Model.Internals;

namespace TraceQuery.Model;

/// <summary>
/// The span forest of a trace in the form structural filters need: a bitmap of the events that open a span,
/// and per span the end of the event interval that holds its subtree (a pre-order/Euler-tour encoding), so that
/// "has an ancestor in a set" is one left-to-right sweep over bitmaps instead of walks up the tree.
/// </summary>
/// <remarks>
/// <para>
/// When span ids are a pre-order of the forest and the opening events ascend with the ids (what pairing CALLs
/// and RETURNs on a stack produces), the opening events of the descendants of span <c>s</c> are exactly the
/// opening events in <c>(StartEvents[s], SubtreeEndEvents[s])</c>, and these intervals nest or are disjoint.
/// <see cref="IsNested"/> says whether that holds; when it does not (a source whose parents are given rather than
/// nested), structural filters use <see cref="TopologicalOrder"/> instead: one pass over the spans, parents first.
/// </para>
/// <para>
/// Memory: 4 bytes per span and 1 bit per event, plus 8 bytes per span for self times once a filter has asked for
/// them (durations are the spans' own cached column).
/// </para>
/// </remarks>
internal sealed class SpanTree
{
    private readonly CallSpans _spans;
    private long[]? _selfTimes;

    private SpanTree(CallSpans spans, ulong[] openingEvents, int[]? subtreeEndEvents, int[]? topologicalOrder)
    {
        _spans = spans;
        OpeningEvents = openingEvents;
        SubtreeEndEvents = subtreeEndEvents;
        TopologicalOrder = topologicalOrder;
    }

    /// <summary>Bitmap over events (64 per word): bit set for the event that opens a span (its CALL, or an orphan RETURN).</summary>
    public ulong[] OpeningEvents { get; }

    /// <summary>
    /// When <see cref="IsNested"/>, per span the exclusive end of the event interval holding the opening events of its
    /// subtree: the opening event of the first span after the subtree, or the event count. Null otherwise.
    /// </summary>
    public int[]? SubtreeEndEvents { get; }

    /// <summary>True when the interval encoding holds (<see cref="SubtreeEndEvents"/> is set).</summary>
    public bool IsNested => SubtreeEndEvents is not null;

    /// <summary>
    /// When not <see cref="IsNested"/>: span ids ordered so that every parent comes before its children, or null
    /// when the ids already are. Spans on a parent cycle (which no builder produces) come last, in id order.
    /// </summary>
    public int[]? TopologicalOrder { get; }

    /// <summary>Per span, its duration (<see cref="CallSpans.Durations"/>, cached there).</summary>
    public ReadOnlySpan<long> Durations => _spans.Durations;

    /// <summary>Per span, its self time (<see cref="CallSpans.GetSelfTimes"/>); computed on first use and cached.</summary>
    public ReadOnlySpan<long> SelfTimes => Volatile.Read(ref _selfTimes) ?? BuiltOnce.Publish(ref _selfTimes, BuildSelfTimes());

    private long[] BuildSelfTimes()
    {
        var selfTimes = new long[_spans.Count];
        _spans.GetSelfTimes(Durations, selfTimes);
        return selfTimes;
    }

    /// <summary>
    /// Builds the encoding in O(spans). <paramref name="forceUnnested"/> skips the interval encoding so tests can
    /// check the fallback on ordinary traces.
    /// </summary>
    public static SpanTree Build(ExecutionTrace trace, CallSpans spans, bool forceUnnested)
    {
        int count = spans.Count;
        var starts = spans.StartEvents;
        var parents = spans.Parents;
        var opening = new ulong[(trace.EventCount + 63) >> 6];
        bool ascending = true;
        bool parentsFirst = true;
        for (int s = 0; s < count; s++)
        {
            int e = starts[s];
            opening[e >> 6] |= 1UL << e;
            if (s > 0 && e <= starts[s - 1])
                ascending = false;
            if (parents[s] >= s)
                parentsFirst = false;
        }
        if (!parentsFirst)
            return new SpanTree(spans, opening, null, TopologicalSort(parents));
        if (!ascending || forceUnnested)
            return new SpanTree(spans, opening, null, null);
        var ends = TryPreorderIntervals(trace, starts, parents);
        return new SpanTree(spans, opening, ends, null);
    }

    /// <summary>
    /// Subtree sizes by one backward pass (children have larger ids), then a forward pass that places each span
    /// where a pre-order would; null unless every span lands on its own id.
    /// </summary>
    private static int[]? TryPreorderIntervals(ExecutionTrace trace, ReadOnlySpan<int> starts, ReadOnlySpan<int> parents)
    {
        int count = starts.Length;
        var sizes = new int[count];
        sizes.AsSpan().Fill(1);
        for (int s = count - 1; s >= 0; s--)
        {
            int p = parents[s];
            if (p >= 0)
                sizes[p] += sizes[s];
        }
        var nextSlot = ArrayPool<int>.Shared.Rent(Math.Max(1, count));
        try
        {
            int nextRoot = 0;
            for (int s = 0; s < count; s++)
            {
                int p = parents[s];
                ref int slot = ref p < 0 ? ref nextRoot : ref nextSlot[p];
                if (slot != s)
                    return null;
                slot += sizes[s];
                nextSlot[s] = s + 1;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(nextSlot);
        }
        var ends = sizes; // reused: subtree size becomes the end of the subtree's event interval
        for (int s = 0; s < count; s++)
        {
            int after = s + sizes[s];
            ends[s] = after < count ? starts[after] : trace.EventCount;
        }
        return ends;
    }

    /// <summary>Parents before children by a breadth-first walk from the roots over child lists (counting sort by parent).</summary>
    private static int[] TopologicalSort(ReadOnlySpan<int> parents)
    {
        int count = parents.Length;
        var childStart = new int[count + 1];
        foreach (int p in parents)
        {
            if (p >= 0)
                childStart[p + 1]++;
        }
        for (int s = 0; s < count; s++)
            childStart[s + 1] += childStart[s];
        var children = new int[childStart[count]];
        var fill = childStart.AsSpan(0, count).ToArray();
        for (int s = 0; s < count; s++)
        {
            int p = parents[s];
            if (p >= 0)
                children[fill[p]++] = s;
        }
        var order = new int[count];
        var placed = new bool[count];
        int written = 0;
        for (int s = 0; s < count; s++)
        {
            if (parents[s] < 0)
            {
                order[written++] = s;
                placed[s] = true;
            }
        }
        for (int read = 0; read < written; read++)
        {
            int s = order[read];
            for (int c = childStart[s]; c < childStart[s + 1]; c++)
            {
                int child = children[c];
                if (!placed[child])
                {
                    placed[child] = true;
                    order[written++] = child;
                }
            }
        }
        for (int s = 0; s < count && written < count; s++)
        {
            if (!placed[s])
                order[written++] = s;
        }
        return order;
    }
}
