using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary>The complement of the operand (<c>not a</c>).</summary>
internal sealed class NotPlan(FilterPlan operand) : FilterPlan
{
    public FilterPlan Operand => operand;

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        operand.Evaluate(context, firstWord, destination);
        BitmapKernels.Not(destination, destination);
    }
}
