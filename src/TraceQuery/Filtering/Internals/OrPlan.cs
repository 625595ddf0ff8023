using TraceQuery.Model;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary>Either operand (<c>a or b</c>); the right one is skipped in chunks where the left selects everything.</summary>
internal sealed class OrPlan(FilterPlan left, FilterPlan right) : FilterPlan
{
    public FilterPlan Fold() => (left, right) switch
    {
        (ConstantPlan { Value: true }, _) or (_, ConstantPlan { Value: true }) => new ConstantPlan(true),
        (ConstantPlan { Value: false }, _) => right,
        (_, ConstantPlan { Value: false }) => left,
        (FunctionSetPlan a, FunctionSetPlan b) => FunctionSetPlan.Merge(a, b, union: true),
        _ => this,
    };

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        left.Evaluate(context, firstWord, destination);
        if (destination.ContainsAnyExcept(ulong.MaxValue)) // else everything is already selected in this chunk
            CombineWith(right, context, firstWord, destination, intersect: false);
    }

    public override void MarkCandidateBlocks(ExecutionTrace trace, Span<ulong> blocks)
    {
        left.MarkCandidateBlocks(trace, blocks);
        var other = new ulong[blocks.Length];
        right.MarkCandidateBlocks(trace, other);
        BitmapKernels.Or(blocks, other, blocks);
    }
}
