namespace TraceQuery.Model.Internals;

/// <summary>
/// What <see cref="TraceBuilder.Build"/> computes per added span, one primitive array each, sized exactly to the spans
/// added and dropped when the trace is built: parent index, depth, CALL position, first exception.
/// </summary>
internal sealed class SpanScratch(ChunkedAppendList<StoredSpan> spans, List<SpanException> exceptions)
{
    /// <summary>Marks a span dropped for repeating an earlier span id (in <see cref="Depths"/>).</summary>
    public const uint Dropped = uint.MaxValue;

    public ChunkedAppendList<StoredSpan> Spans { get; } = spans;

    public List<SpanException> Exceptions { get; } = exceptions;

    /// <summary>Per span, the index of its parent span, or -1.</summary>
    public int[] Parents { get; } = GC.AllocateUninitializedArray<int>(spans.Count);

    /// <summary>Per span, the length of its parent chain (1 for a root), or <see cref="Dropped"/>.</summary>
    public uint[] Depths { get; } = new uint[spans.Count];

    /// <summary>
    /// Per span, before planning its lane's index; after, the position of its CALL in its thread's planned events; after
    /// the columns, the CALL's global event index (what the side tables key by).
    /// </summary>
    public int[] CallPositions { get; } = GC.AllocateUninitializedArray<int>(spans.Count);

    /// <summary>Per span, its first exception (a chain through <see cref="SpanException.Next"/>) or -1; null when no span has one.</summary>
    public int[]? FirstException { get; set; }

    /// <summary>Span id to the span kept for it (the first added), when links or span events must be resolved; else null.</summary>
    public SpanIdIndex? ById { get; set; }
}
