using TraceQuery.Model;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary>A bitmap computed once at compile time (predicates over spans, such as durations).</summary>
internal sealed class BitmapPlan(ulong[] words) : FilterPlan
{
    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        words.AsSpan(firstWord, destination.Length).CopyTo(destination);

    public override void MarkCandidateBlocks(ExecutionTrace trace, Span<ulong> blocks)
    {
        blocks.Clear();
        for (int first = 0, block = 0; first < words.Length; first += BlockWords, block++)
        {
            if (words.AsSpan(first, Math.Min(BlockWords, words.Length - first)).ContainsAnyExcept(0UL))
                blocks[block >> 6] |= 1UL << block;
        }
    }

    public override int Cost => 0;

    public override void Narrow(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        BitmapKernels.And(destination, words.AsSpan(firstWord, destination.Length), destination);
}
