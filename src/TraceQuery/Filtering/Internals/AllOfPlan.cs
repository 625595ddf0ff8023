using TraceQuery.Model;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary>
/// A conjunction of two or more terms, cheapest first (<see cref="FilterPlan.Cost"/>): the first fills the words, each
/// later one narrows them (<see cref="FilterPlan.Narrow"/>), reading its column only where words are still nonzero, and
/// the rest is skipped once a chunk has nothing left. Block summaries are the intersection of the terms'.
/// </summary>
internal sealed class AllOfPlan(FilterPlan[] terms) : FilterPlan
{
    public IReadOnlyList<FilterPlan> Terms => terms;

    public override int Cost => terms.Sum(t => t.Cost);

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        terms[0].Evaluate(context, firstWord, destination);
        for (int i = 1; i < terms.Length; i++)
        {
            if (!destination.ContainsAnyExcept(0UL))
                return;
            terms[i].Narrow(context, firstWord, destination);
        }
    }

    public override void MarkCandidateBlocks(ExecutionTrace trace, Span<ulong> blocks)
    {
        terms[0].MarkCandidateBlocks(trace, blocks);
        var other = new ulong[blocks.Length];
        for (int i = 1; i < terms.Length; i++)
        {
            terms[i].MarkCandidateBlocks(trace, other);
            BitmapKernels.And(blocks, other, blocks);
        }
    }
}
