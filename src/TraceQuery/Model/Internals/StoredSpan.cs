namespace TraceQuery.Model.Internals;

/// <summary>
/// A span as <see cref="TraceBuilder"/> keeps it until <see cref="TraceBuilder.Build"/>: the fixed fields of a
/// <see cref="SpanRecord"/> in 48 bytes. Messages, error texts and attributes live in sparse lists beside it; what
/// <c>Build</c> computes (parent index, depth, CALL position, first exception) lives in its own scratch arrays.
/// </summary>
internal struct StoredSpan
{
    public ulong SpanId;
    public ulong ParentSpanId;
    public ulong FunctionId;
    public ulong StartNs;

    /// <summary>The end, when <see cref="StoredSpanFlags.HasEnd"/> is set (raised to the start when it was before it).</summary>
    public ulong EndNs;
    public uint ThreadId;
    public StoredSpanFlags Flags;
    public SpanMarks Marks;

    public readonly bool HasEnd => (Flags & StoredSpanFlags.HasEnd) != 0;

    public static StoredSpan From(in SpanRecord span)
    {
        var flags = StoredSpanFlags.None;
        ulong end = 0;
        if (span.EndNs is { } e)
        {
            flags |= StoredSpanFlags.HasEnd;
            end = Math.Max(e, span.StartNs);
        }
        if (span.ParentMissing)
            flags |= StoredSpanFlags.ParentMissing;
        if (span.Message is not null)
            flags |= StoredSpanFlags.HasMessage;
        if (span.Error is not null)
            flags |= StoredSpanFlags.HasError;
        return new StoredSpan
        {
            SpanId = span.SpanId,
            ParentSpanId = span.ParentSpanId,
            FunctionId = span.FunctionId,
            StartNs = span.StartNs,
            EndNs = end,
            ThreadId = span.ThreadId,
            Flags = flags,
            Marks = span.Marks,
        };
    }
}

/// <summary>What a <see cref="StoredSpan"/> has beside its fixed fields.</summary>
[Flags]
internal enum StoredSpanFlags : byte
{
    None = 0,
    HasEnd = 1,
    ParentMissing = 2,
    HasMessage = 4,
    HasError = 8,
}
