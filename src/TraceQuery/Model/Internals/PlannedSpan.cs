namespace TraceQuery.Model.Internals;

/// <summary>A span as the builder keeps it, with what <see cref="SpanEventPlanner"/> computes.</summary>
internal struct PlannedSpan
{
    public SpanRecord Record;

    /// <summary>Index of the parent in the builder's span list, or -1.</summary>
    public int Parent;

    /// <summary>Length of the parent chain, 1 for a root.</summary>
    public uint Depth;

    /// <summary>Position of the span's CALL in its thread's planned events.</summary>
    public int CallPosition;

    /// <summary>First exception of the span in the builder's exception list, -1 when none (a chain through <see cref="SpanException.Next"/>).</summary>
    public int FirstException;
}
