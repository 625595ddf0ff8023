using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary>Events whose call depth compares to a constant (<c>depth&gt;3</c>).</summary>
internal sealed class DepthPlan(ComparisonOperator op, uint value) : FilterPlan
{
    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        BitmapKernels.Scan(context.Depths, firstWord, destination, new CompareUInt32Operator(op, value));

    public override int Cost => 4;

    public override void Narrow(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        BitmapKernels.ScanAnd(context.Depths, firstWord, destination, new CompareUInt32Operator(op, value));
}
