namespace TraceQuery.Filtering.Internals;

/// <summary>Both operands (<c>a and b</c>); the right one is skipped in chunks where the left selects nothing.</summary>
internal sealed class AndPlan(FilterPlan left, FilterPlan right) : FilterPlan
{
    public FilterPlan Fold() => (left, right) switch
    {
        (ConstantPlan { Value: false }, _) or (_, ConstantPlan { Value: false }) => new ConstantPlan(false),
        (ConstantPlan { Value: true }, _) => right,
        (_, ConstantPlan { Value: true }) => left,
        _ => this,
    };

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        left.Evaluate(context, firstWord, destination);
        if (destination.ContainsAnyExcept(0UL)) // else nothing is left to narrow in this chunk
            CombineWith(right, context, firstWord, destination, intersect: true);
    }
}
