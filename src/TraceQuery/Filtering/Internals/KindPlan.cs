using TraceQuery.Model;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary>Events of up to three kinds; blocks whose zone map (<see cref="ExecutionTrace.KindBlockMasks"/>) has none of them are skipped.</summary>
internal sealed class KindPlan(byte a, byte b, byte c) : FilterPlan
{
    private const int WordsPerBlock = ExecutionTrace.KindBlockSize / 64;
    private readonly byte _wanted = (byte)(ExecutionTrace.KindMaskBit(a) | ExecutionTrace.KindMaskBit(b) | ExecutionTrace.KindMaskBit(c));

    public override int Cost => 1;

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        ScanBlocks(context, firstWord, destination, narrow: false);

    public override void Narrow(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        ScanBlocks(context, firstWord, destination, narrow: true);

    public override void MarkCandidateBlocks(ExecutionTrace trace, Span<ulong> blocks) =>
        BitmapKernels.Scan(trace.KindBlockMasks, 0, blocks, new ByteMaskAnyOperator(_wanted));

    /// <summary>Block by block: cleared where the zone map rules the kinds out, else scanned into (or ANDed into) the words.</summary>
    private void ScanBlocks(in EvaluationContext context, int firstWord, Span<ulong> destination, bool narrow)
    {
        var masks = context.Trace.KindBlockMasks;
        var op = new KindInSetOperator(a, b, c);
        for (int w = 0; w < destination.Length;)
        {
            int word = firstWord + w;
            int next = Math.Min(destination.Length, ((word / WordsPerBlock) + 1) * WordsPerBlock - firstWord);
            var part = destination[w..next];
            if ((masks[word / WordsPerBlock] & _wanted) == 0)
                part.Clear();
            else if (narrow)
                BitmapKernels.ScanAnd(context.Kinds, word, part, op);
            else
                BitmapKernels.Scan(context.Kinds, word, part, op);
            w = next;
        }
    }
}
