using TraceQuery.Model;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary>Events that link (or do not link) a detail record (<c>detail:yes</c>).</summary>
internal sealed class DetailPlan(bool hasDetail) : FilterPlan
{
    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        BitmapKernels.Scan(context.Details, firstWord, destination,
            new CompareUInt32Operator(hasDetail ? ComparisonOperator.NotEqual : ComparisonOperator.Equal, TraceEvent.NoDetail));

    public override int Cost => 4;

    public override void Narrow(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        BitmapKernels.ScanAnd(context.Details, firstWord, destination,
            new CompareUInt32Operator(hasDetail ? ComparisonOperator.NotEqual : ComparisonOperator.Equal, TraceEvent.NoDetail));
}
