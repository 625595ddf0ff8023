using System.Buffers;
using TraceQuery.Model;

namespace TraceQuery.Filtering.Internals;

/// <summary>
/// A compiled filter node: evaluates a run of bitmap words (64 events each) for one trace. Evaluation
/// goes chunk by chunk so that intermediate bitmaps stay in cache and chunks run in parallel.
/// </summary>
internal abstract class FilterPlan
{
    private const int ChunkWords = 4096; // 262,144 events: the chunk's bitmaps stay in L2
    private const int ParallelThreshold = 1 << 20;

    /// <summary>Fills <paramref name="destination"/> with words <c>[firstWord, firstWord + destination.Length)</c>.</summary>
    public abstract void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination);

    /// <summary>
    /// Evaluates <paramref name="plan"/> over every event of <paramref name="trace"/>, chunk by chunk (in parallel for
    /// large traces), into a new bitmap whose bits past the event count are clear.
    /// </summary>
    public static ulong[] EvaluateAll(FilterPlan plan, ExecutionTrace trace, bool forceScalar)
    {
        int n = trace.EventCount;
        var words = new ulong[Selection.WordCount(n)];
        if (plan is ConstantPlan constant)
        {
            if (constant.Value)
                words.AsSpan().Fill(ulong.MaxValue);
        }
        else
        {
            int chunks = (words.Length + ChunkWords - 1) / ChunkWords;
            void Run(int chunk)
            {
                int first = chunk * ChunkWords;
                var context = new EvaluationContext(trace, forceScalar);
                plan.Evaluate(context, first, words.AsSpan(first, Math.Min(ChunkWords, words.Length - first)));
            }
            if (n >= ParallelThreshold)
                Parallel.For(0, chunks, Run);
            else
                for (int c = 0; c < chunks; c++)
                    Run(c);
        }
        Selection.ClearTail(words, n);
        return words;
    }
}

/// <summary>The columns a plan reads, and whether the scalar twins are forced.</summary>
internal readonly ref struct EvaluationContext(ExecutionTrace trace, bool forceScalar)
{
    public readonly ReadOnlySpan<byte> Kinds = trace.Kinds;
    public readonly ReadOnlySpan<int> Ordinals = trace.FunctionOrdinals;
    public readonly ReadOnlySpan<uint> Depths = trace.Depths;
    public readonly ReadOnlySpan<uint> Details = trace.DetailSeqs;
    public readonly ExecutionTrace Trace = trace;
    public readonly bool ForceScalar = forceScalar;
}

internal sealed class ConstantPlan(bool value) : FilterPlan
{
    public bool Value => value;

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        destination.Fill(value ? ulong.MaxValue : 0);
}

/// <summary>Events of up to three kinds; blocks whose zone map (<see cref="ExecutionTrace.KindBlockMasks"/>) has none of them are skipped.</summary>
internal sealed class KindPlan(byte a, byte b, byte c) : FilterPlan
{
    private const int WordsPerBlock = ExecutionTrace.KindBlockSize / 64;
    private readonly byte _wanted = (byte)(ExecutionTrace.KindMaskBit(a) | ExecutionTrace.KindMaskBit(b) | ExecutionTrace.KindMaskBit(c));

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        var masks = context.Trace.KindBlockMasks;
        var predicate = new KindPredicate(a, b, c);
        for (int w = 0; w < destination.Length;)
        {
            int word = firstWord + w;
            int next = Math.Min(destination.Length, ((word / WordsPerBlock) + 1) * WordsPerBlock - firstWord);
            var part = destination[w..next];
            if ((masks[word / WordsPerBlock] & _wanted) == 0)
                part.Clear();
            else
                ColumnScans.Scan(context.Kinds, word, part, predicate, context.ForceScalar);
            w = next;
        }
    }
}

internal sealed class DepthPlan(ComparisonOperator op, uint value) : FilterPlan
{
    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        ColumnScans.Scan(context.Depths, firstWord, destination, new CompareUInt32Predicate(op, value), context.ForceScalar);
}

internal sealed class DetailPlan(bool hasDetail) : FilterPlan
{
    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        ColumnScans.Scan(context.Details, firstWord, destination,
            new CompareUInt32Predicate(hasDetail ? ComparisonOperator.NotEqual : ComparisonOperator.Equal, TraceEvent.NoDetail), context.ForceScalar);
}

/// <summary>Events whose function ordinal is in a set: vector compares for small sets, a dense lookup table otherwise.</summary>
internal sealed class FunctionSetPlan : FilterPlan
{
    private readonly int[] _members;
    private readonly bool[]? _lookup;

    public FunctionSetPlan(bool[] membership)
    {
        var members = new List<int>();
        for (int i = 0; i < membership.Length; i++)
        {
            if (membership[i])
                members.Add(i);
        }
        _members = [.. members];
        _lookup = _members.Length > MemberSetPredicate.MaxMembers ? membership : null;
    }

    public int MemberCount => _members.Length;

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        if (_lookup is null)
        {
            ColumnScans.Scan(context.Ordinals, firstWord, destination, new MemberSetPredicate(_members), context.ForceScalar);
            return;
        }
        var ordinals = context.Ordinals;
        var lookup = _lookup;
        for (int w = 0; w < destination.Length; w++)
        {
            int start = (firstWord + w) << 6;
            int count = Math.Min(64, ordinals.Length - start);
            ulong bits = 0;
            for (int j = 0; j < count; j++)
                bits |= (lookup[ordinals[start + j]] ? 1UL : 0UL) << j;
            destination[w] = bits;
        }
    }
}

/// <summary>Events inside sorted, disjoint index ranges (threads, time windows).</summary>
internal sealed class RangesPlan(List<(int From, int To)> ranges) : FilterPlan
{
    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        destination.Clear();
        foreach (var (from, to) in ranges)
            ColumnScans.SetRange(destination, firstWord, from, to);
    }
}

/// <summary>A bitmap computed once at compile time (predicates over spans, such as durations).</summary>
internal sealed class BitmapPlan(ulong[] words) : FilterPlan
{
    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        words.AsSpan(firstWord, destination.Length).CopyTo(destination);
}

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
        if (!destination.ContainsAnyExcept(0UL))
            return; // nothing left to narrow in this chunk
        var scratch = ArrayPool<ulong>.Shared.Rent(destination.Length);
        try
        {
            var other = scratch.AsSpan(0, destination.Length);
            right.Evaluate(context, firstWord, other);
            BitmapOps.And(destination, other, destination);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(scratch);
        }
    }
}

internal sealed class OrPlan(FilterPlan left, FilterPlan right) : FilterPlan
{
    public FilterPlan Fold() => (left, right) switch
    {
        (ConstantPlan { Value: true }, _) or (_, ConstantPlan { Value: true }) => new ConstantPlan(true),
        (ConstantPlan { Value: false }, _) => right,
        (_, ConstantPlan { Value: false }) => left,
        _ => this,
    };

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        left.Evaluate(context, firstWord, destination);
        if (!destination.ContainsAnyExcept(ulong.MaxValue))
            return; // everything already selected in this chunk
        var scratch = ArrayPool<ulong>.Shared.Rent(destination.Length);
        try
        {
            var other = scratch.AsSpan(0, destination.Length);
            right.Evaluate(context, firstWord, other);
            BitmapOps.Or(destination, other, destination);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(scratch);
        }
    }
}

internal sealed class NotPlan(FilterPlan operand) : FilterPlan
{
    public FilterPlan Operand => operand;

    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination)
    {
        operand.Evaluate(context, firstWord, destination);
        BitmapOps.Not(destination, destination);
    }
}
