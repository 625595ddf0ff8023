using System.Numerics;
using TraceQuery.Model;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary>
/// Evaluates span operators over event bitmaps. Both sides are first narrowed to the events that open a span
/// (word-wise <c>and</c> with <see cref="SpanTree.OpeningEvents"/>), so a bit stands for a span. <c>&gt;</c> and
/// <c>!&gt;</c> look at each inner span's parent once. <c>&gt;&gt;</c> and <c>!&gt;&gt;</c> sweep the bitmaps once from
/// left to right, keeping the furthest end of the subtree intervals (<see cref="SpanTree.SubtreeEndEvents"/>) of the
/// outer spans seen so far: an inner span is inside an outer one exactly when its opening event is before that end.
/// Intervals nest, so a word entirely inside the current interval takes the inner bits as they are, and a word with no
/// outer bit and outside it takes none — 64 spans per step. Without the interval encoding, one pass over the spans with
/// parents first carries "has a matching ancestor" down the tree.
/// </summary>
internal static class SpanRelations
{
    /// <summary>
    /// The opening events of the spans selected by <paramref name="inner"/> that stand in <paramref name="relation"/> to
    /// the spans selected by <paramref name="outer"/>. O(events / 64 + selected spans); allocates the result and one
    /// scratch bitmap.
    /// </summary>
    public static ulong[] Evaluate(SpanRelation relation, ReadOnlySpan<ulong> outer, ReadOnlySpan<ulong> inner, CallSpans spans, SpanTree tree)
    {
        var opening = tree.OpeningEvents;
        var outerSpans = new ulong[opening.Length];
        var result = new ulong[opening.Length];
        BitmapKernels.And(outer, opening, outerSpans);
        BitmapKernels.And(inner, opening, result); // the inner spans; narrowed in place below
        switch (relation)
        {
            case SpanRelation.Child or SpanRelation.NotChild:
                KeepByParent(result, outerSpans, spans, keepMatching: relation == SpanRelation.Child);
                break;
            case SpanRelation.Descendant or SpanRelation.NotDescendant when tree.SubtreeEndEvents is { } ends:
                KeepByIntervals(result, outerSpans, spans.SpanOfEvent, ends, keepInside: relation == SpanRelation.Descendant);
                break;
            default:
                KeepByAncestors(result, outerSpans, spans, tree.TopologicalOrder, keepInside: relation == SpanRelation.Descendant);
                break;
        }
        return result;
    }

    /// <summary>Keeps the inner spans whose direct parent is (or, when not <paramref name="keepMatching"/>, is not) an outer span.</summary>
    private static void KeepByParent(Span<ulong> inner, ReadOnlySpan<ulong> outer, CallSpans spans, bool keepMatching) =>
        KeepWhere(inner, spans.SpanOfEvent, new ParentIsOuter(outer, spans.Parents, spans.StartEvents), keepMatching);

    /// <summary>The sweep over nested subtree intervals; see the class summary.</summary>
    private static void KeepByIntervals(Span<ulong> inner, ReadOnlySpan<ulong> outer, ReadOnlySpan<int> spanOfEvent, ReadOnlySpan<int> subtreeEnds, bool keepInside)
    {
        int coverEnd = 0; // events before it are inside the subtree of an outer span seen so far
        for (int w = 0; w < inner.Length; w++)
        {
            ulong a = outer[w], b = inner[w];
            int wordStart = w << 6;
            ulong covered;
            if (coverEnd >= wordStart + 64)
            {
                covered = b; // outer spans in here lie inside the current interval and cannot extend it
            }
            else if (a == 0)
            {
                if (b == 0)
                    continue;
                covered = b & Below(coverEnd - wordStart);
            }
            else
            {
                // Coverage only changes at outer bits: the inner bits up to and including each outer bit are tested
                // against the end known before it (an ancestor must be a proper one), a whole segment at a time.
                covered = 0;
                ulong segmentStart = ~0UL;
                while (a != 0)
                {
                    int j = BitOperations.TrailingZeroCount(a);
                    a &= a - 1;
                    ulong upTo = j == 63 ? ~0UL : (2UL << j) - 1;
                    covered |= b & segmentStart & upTo & Below(coverEnd - wordStart);
                    segmentStart = ~upTo;
                    coverEnd = Math.Max(coverEnd, subtreeEnds[spanOfEvent[wordStart + j]]);
                }
                covered |= b & segmentStart & Below(coverEnd - wordStart);
            }
            inner[w] = keepInside ? covered : b & ~covered;
        }
    }

    /// <summary>One pass over the spans, parents first: a span has a matching ancestor when its parent matches or has one.</summary>
    private static void KeepByAncestors(Span<ulong> inner, ReadOnlySpan<ulong> outer, CallSpans spans, int[]? order, bool keepInside)
    {
        var parents = spans.Parents;
        var starts = spans.StartEvents;
        var spanOfEvent = spans.SpanOfEvent;
        var hasAncestor = new bool[spans.Count];
        for (int i = 0; i < hasAncestor.Length; i++)
        {
            int s = order is null ? i : order[i];
            int p = parents[s];
            hasAncestor[s] = p >= 0 && (hasAncestor[p] || IsSet(outer, starts[p]));
        }
        KeepWhere(inner, spanOfEvent, new HasOuterAncestor(hasAncestor), keepInside);
    }

    /// <summary>Keeps the set bits of <paramref name="inner"/> whose span passes <paramref name="test"/> exactly when <paramref name="keep"/>; O(set bits).</summary>
    private static void KeepWhere<TTest>(Span<ulong> inner, ReadOnlySpan<int> spanOfEvent, TTest test, bool keep)
        where TTest : ISpanTest, allows ref struct
    {
        for (int w = 0; w < inner.Length; w++)
        {
            ulong bits = inner[w];
            ulong kept = 0;
            while (bits != 0)
            {
                int j = BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                if (test.Holds(spanOfEvent[(w << 6) + j]) == keep)
                    kept |= 1UL << j;
            }
            inner[w] = kept;
        }
    }

    /// <summary>The bits below <paramref name="count"/> (none when it is 0 or less, all when it is 64 or more).</summary>
    private static ulong Below(int count) => count <= 0 ? 0 : count >= 64 ? ~0UL : (1UL << count) - 1;

    private static bool IsSet(ReadOnlySpan<ulong> words, int index) => (words[index >> 6] & (1UL << index)) != 0;

    /// <summary>A test of one span by its index, inlined into <see cref="KeepWhere{TTest}"/>.</summary>
    private interface ISpanTest
    {
        bool Holds(int span);
    }

    /// <summary>The span's direct parent opens at an event set in the outer bitmap.</summary>
    private readonly ref struct ParentIsOuter(ReadOnlySpan<ulong> outer, ReadOnlySpan<int> parents, ReadOnlySpan<int> starts) : ISpanTest
    {
        private readonly ReadOnlySpan<ulong> _outer = outer;
        private readonly ReadOnlySpan<int> _parents = parents;
        private readonly ReadOnlySpan<int> _starts = starts;

        public bool Holds(int span)
        {
            int parent = _parents[span];
            return parent >= 0 && IsSet(_outer, _starts[parent]);
        }
    }

    /// <summary>Some ancestor of the span is an outer span (computed parents first).</summary>
    private readonly ref struct HasOuterAncestor(ReadOnlySpan<bool> hasAncestor) : ISpanTest
    {
        private readonly ReadOnlySpan<bool> _hasAncestor = hasAncestor;

        public bool Holds(int span) => _hasAncestor[span];
    }
}
