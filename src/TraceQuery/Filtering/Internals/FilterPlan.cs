using System.Buffers;
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
    private const int ChunkWords = 4096; // 262,144 events: the chunk's bitmaps stay in L2
    private const int ParallelThreshold = 1 << 20;

    /// <summary>Fills <paramref name="destination"/> with words <c>[firstWord, firstWord + destination.Length)</c>.</summary>
    public abstract void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination);

    /// <summary>
    /// Evaluates <paramref name="plan"/> over every event of <paramref name="trace"/>, chunk by chunk (in parallel for
    /// large traces), into a new bitmap whose bits past the event count are clear.
    /// </summary>
    public static ulong[] EvaluateAll(FilterPlan plan, ExecutionTrace trace)
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
                var context = new EvaluationContext(trace);
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
