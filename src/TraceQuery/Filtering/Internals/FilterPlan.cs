using System.Buffers;
using System.Numerics;
using TraceQuery.Model;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary>
/// A compiled filter node: evaluates a run of bitmap words (64 events each) for one trace. Evaluation
/// goes chunk by chunk so that intermediate bitmaps stay in cache and chunks run in parallel. Every scan and
/// bitmap operation runs on <see cref="BitmapKernels"/>, so <see cref="KernelDispatch"/> alone picks the
/// <c>Vector256</c> bodies or their scalar twins.
/// </summary>
internal abstract class FilterPlan
{
    /// <summary>Events per candidate block (the kind zone map's block): 64 bitmap words.</summary>
    public const int BlockEvents = ExecutionTrace.KindBlockSize;

    /// <summary>Bitmap words per candidate block.</summary>
    public const int BlockWords = BlockEvents / 64;

    private const int ChunkWords = 4096; // 262,144 events: the chunk's bitmaps stay in L2; 64 blocks, one candidate word
    private const int ParallelThreshold = 1 << 20;

    /// <summary>Candidate blocks up to this many events are evaluated one by one into a sparse result (few matches).</summary>
    private const int SparseEvaluationEvents = 1 << 20;

    /// <summary>Fills <paramref name="destination"/> with words <c>[firstWord, firstWord + destination.Length)</c>.</summary>
    public abstract void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination);

    /// <summary>
    /// ANDs <paramref name="destination"/> (words <c>[firstWord, firstWord + destination.Length)</c>, holding the terms
    /// before this one in a conjunction) with this plan's words. By default the plan is evaluated into scratch; column
    /// tests override it to test only the words still nonzero.
    /// </summary>
    public virtual void Narrow(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        CombineWith(this, context, firstWord, destination, intersect: true);

    /// <summary>
    /// Relative cost of evaluating one event (about the bytes read per event): a conjunction runs its cheapest terms first,
    /// so the costlier ones read only the words those leave nonzero.
    /// </summary>
    public virtual int Cost => 32;

    /// <summary>
    /// Block summaries: sets bit b of <paramref name="blocks"/> when block b (events <c>[b·BlockEvents, (b+1)·BlockEvents)</c>)
    /// may hold a match, clears it only when none can. Conservative by default (every block). Bits past the last block
    /// may be anything; the caller clears them.
    /// </summary>
    public virtual void MarkCandidateBlocks(ExecutionTrace trace, Span<ulong> blocks) => blocks.Fill(ulong.MaxValue);

    /// <summary>Number of candidate blocks of a trace of <paramref name="events"/> events.</summary>
    public static int BlockCount(int events) => (events + BlockEvents - 1) / BlockEvents;

    /// <summary>
    /// Evaluates <paramref name="plan"/> over <paramref name="trace"/> into a <see cref="Selection"/>: only the blocks
    /// the plan's block summaries leave as candidates are scanned, and when they are few the matches are collected as a
    /// sorted index list (no bitmap is allocated or cleared) unless they turn out too many for one.
    /// </summary>
    public static Selection Select(FilterPlan plan, ExecutionTrace trace)
    {
        int n = trace.EventCount;
        if (plan is ConstantPlan constant)
            return constant.Value ? Selection.All(n) : Selection.None(n);
        var candidates = CandidateBlocks(plan, trace);
        long candidateEvents = (long)PopCount(candidates) * BlockEvents;
        if (candidateEvents == 0)
            return Selection.None(n);
        if (candidateEvents <= SparseEvaluationEvents)
            return SelectFew(plan, trace, candidates);
        return new Selection(EvaluateCandidates(plan, trace, candidates), n);
    }

    /// <summary>
    /// Evaluates <paramref name="plan"/> over every event of <paramref name="trace"/>, chunk by chunk (in parallel for
    /// large traces), into a new bitmap whose bits past the event count are clear; blocks the plan rules out stay zero.
    /// </summary>
    public static ulong[] EvaluateAll(FilterPlan plan, ExecutionTrace trace)
    {
        if (plan is ConstantPlan constant)
        {
            var words = new ulong[Selection.WordCount(trace.EventCount)];
            if (constant.Value)
                words.AsSpan().Fill(ulong.MaxValue);
            Selection.ClearTail(words, trace.EventCount);
            return words;
        }
        return EvaluateCandidates(plan, trace, CandidateBlocks(plan, trace));
    }

    /// <summary>The plan's candidate blocks, bits past the last block clear.</summary>
    internal static ulong[] CandidateBlocks(FilterPlan plan, ExecutionTrace trace)
    {
        int blocks = BlockCount(trace.EventCount);
        var bits = new ulong[Selection.WordCount(blocks)];
        if (blocks > 0)
            plan.MarkCandidateBlocks(trace, bits);
        Selection.ClearTail(bits, blocks);
        return bits;
    }

    /// <summary>The dense path: a zeroed bitmap, each chunk's runs of candidate blocks evaluated in place.</summary>
    internal static ulong[] EvaluateCandidates(FilterPlan plan, ExecutionTrace trace, ulong[] candidates)
    {
        int n = trace.EventCount;
        var words = new ulong[Selection.WordCount(n)];
        int chunks = (words.Length + ChunkWords - 1) / ChunkWords; // chunk c is candidate word c
        void Run(int chunk)
        {
            ulong blocks = candidates[chunk];
            var context = new EvaluationContext(trace);
            while (blocks != 0)
            {
                // One run of consecutive candidate blocks at a time.
                int first = BitOperations.TrailingZeroCount(blocks);
                int end = first + BitOperations.TrailingZeroCount(~(blocks >> first));
                blocks = end >= 64 ? 0 : blocks & (ulong.MaxValue << end);
                int firstWord = (chunk * ChunkWords) + (first * BlockWords);
                int endWord = Math.Min(words.Length, (chunk * ChunkWords) + (end * BlockWords));
                plan.Evaluate(context, firstWord, words.AsSpan(firstWord, endWord - firstWord));
            }
        }
        if (n >= ParallelThreshold && chunks > 1)
            Parallel.For(0, chunks, Run);
        else
            for (int c = 0; c < chunks; c++)
                Run(c);
        Selection.ClearTail(words, n);
        return words;
    }

    /// <summary>
    /// The sparse path: candidate blocks evaluated one by one into a block-sized buffer and their matches collected
    /// as indices; past <c>Length / 64</c> matches a list would outweigh the bitmap, so the rest goes into one.
    /// </summary>
    internal static Selection SelectFew(FilterPlan plan, ExecutionTrace trace, ulong[] candidates)
    {
        int n = trace.EventCount;
        int wordCount = Selection.WordCount(n);
        int limit = Math.Max(64, n >> 6);
        Span<ulong> buffer = stackalloc ulong[BlockWords];
        var found = new List<int>();
        ulong[]? dense = null;
        var context = new EvaluationContext(trace);
        for (int cw = 0; cw < candidates.Length; cw++)
        {
            for (ulong bits = candidates[cw]; bits != 0; bits &= bits - 1)
            {
                int block = (cw << 6) + BitOperations.TrailingZeroCount(bits);
                int firstWord = block * BlockWords;
                int length = Math.Min(BlockWords, wordCount - firstWord);
                if (dense is not null)
                {
                    plan.Evaluate(context, firstWord, dense.AsSpan(firstWord, length));
                    continue;
                }
                var part = buffer[..length];
                plan.Evaluate(context, firstWord, part);
                if (block == (wordCount - 1) / BlockWords)
                    Selection.ClearTail(part, n - (firstWord << 6));
                for (int w = 0; w < part.Length; w++)
                {
                    for (ulong word = part[w]; word != 0; word &= word - 1)
                        found.Add(((firstWord + w) << 6) + BitOperations.TrailingZeroCount(word));
                }
                if (found.Count > limit)
                {
                    dense = new ulong[wordCount];
                    foreach (int i in found)
                        dense[i >> 6] |= 1UL << i;
                }
            }
        }
        if (dense is null)
            return new Selection(n, [.. found]);
        Selection.ClearTail(dense, n);
        return new Selection(dense, n);
    }

    private static int PopCount(ReadOnlySpan<ulong> words)
    {
        int count = 0;
        foreach (ulong w in words)
            count += BitOperations.PopCount(w);
        return count;
    }

    /// <summary>
    /// Evaluates <paramref name="right"/> into scratch and folds it into <paramref name="destination"/> (which holds the
    /// left operand's words): intersection when <paramref name="intersect"/>, union otherwise.
    /// </summary>
    protected static void CombineWith(FilterPlan right, in EvaluationContext context, int firstWord, Span<ulong> destination, bool intersect)
    {
        var scratch = ArrayPool<ulong>.Shared.Rent(destination.Length);
        try
        {
            var other = scratch.AsSpan(0, destination.Length);
            right.Evaluate(context, firstWord, other);
            if (intersect)
                BitmapKernels.And(destination, other, destination);
            else
                BitmapKernels.Or(destination, other, destination);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(scratch);
        }
    }
}
