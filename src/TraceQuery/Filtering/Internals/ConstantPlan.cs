using TraceQuery.Model;

namespace TraceQuery.Filtering.Internals;

/// <summary>Every event or none (a folded constant).</summary>
internal sealed class ConstantPlan(bool value) : FilterPlan
{
    public bool Value => value;

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        destination.Fill(value ? ulong.MaxValue : 0);

    public override void MarkCandidateBlocks(ExecutionTrace trace, Span<ulong> blocks) =>
        blocks.Fill(value ? ulong.MaxValue : 0);
}
