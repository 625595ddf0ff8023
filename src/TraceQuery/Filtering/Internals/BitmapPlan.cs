namespace TraceQuery.Filtering.Internals;

/// <summary>A bitmap computed once at compile time (predicates over spans, such as durations).</summary>
internal sealed class BitmapPlan(ulong[] words) : FilterPlan
{
    public override void Evaluate(in EvaluationContext context, int firstWord, Span<ulong> destination) =>
        words.AsSpan(firstWord, destination.Length).CopyTo(destination);
}
