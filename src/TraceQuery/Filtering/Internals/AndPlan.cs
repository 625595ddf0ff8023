using TraceQuery.Model;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary>Both operands (<c>a and b</c>); the right one is skipped in chunks where the left selects nothing.</summary>
internal sealed class AndPlan(FilterPlan left, FilterPlan right) : FilterPlan
{
    public FilterPlan Fold() => (left, right) switch
    {
        (ConstantPlan { Value: false }, _) or (_, ConstantPlan { Value: false }) => new ConstantPlan(false),
        (ConstantPlan { Value: true }, _) => right,
        (_, ConstantPlan { Value: true }) => left,
        (FunctionSetPlan a, FunctionSetPlan b) => FunctionSetPlan.Merge(a, b, union: false),
        _ => new AllOfPlan(Flatten(left, right)),
    };

    /// <summary>The conjuncts of both sides (nested conjunctions opened), cheapest first (a stable order: ties keep their place).</summary>
    private static FilterPlan[] Flatten(FilterPlan left, FilterPlan right)
    {
        var terms = new List<FilterPlan>();
        foreach (var side in new[] { left, right })
        {
            if (side is AllOfPlan all)
                terms.AddRange(all.Terms);
            else
                terms.Add(side);
        }
        return [.. terms.OrderBy(t => t.Cost)];
    }

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        left.Evaluate(context, firstWord, destination);
        if (destination.ContainsAnyExcept(0UL)) // else nothing is left to narrow in this chunk
            CombineWith(right, context, firstWord, destination, intersect: true);
    }

    public override void MarkCandidateBlocks(ExecutionTrace trace, Span<ulong> blocks)
    {
        left.MarkCandidateBlocks(trace, blocks);
        var other = new ulong[blocks.Length];
        right.MarkCandidateBlocks(trace, other);
        BitmapKernels.And(blocks, other, blocks);
    }
}
