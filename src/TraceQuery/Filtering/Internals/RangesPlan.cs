using TraceQuery.Model;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary>Events inside sorted, disjoint index ranges (threads, time windows).</summary>
internal sealed class RangesPlan(List<(int From, int To)> ranges) : FilterPlan
{
    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        destination.Clear();
        foreach (var (from, to) in ranges)
            BitmapKernels.SetRange(destination, firstWord, from, to);
    }

    public override void MarkCandidateBlocks(ExecutionTrace trace, Span<ulong> blocks)
    {
        blocks.Clear();
        foreach (var (from, to) in ranges)
        {
            if (from < to)
                BitmapKernels.SetRange(blocks, 0, from / BlockEvents, ((to - 1) / BlockEvents) + 1);
        }
    }

    public override int Cost => 0;
}
