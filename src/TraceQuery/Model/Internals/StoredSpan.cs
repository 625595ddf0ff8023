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

    /// <summary>The end, when <see cref="HasEndFlag"/> is set (raised to the start when it was before it).</summary>
    public ulong EndNs;
    public uint ThreadId;

    /// <summary>What the span has beside its fixed fields: <see cref="HasEndFlag"/>, <see cref="ParentMissingFlag"/>, <see cref="HasMessageFlag"/>, <see cref="HasErrorFlag"/>.</summary>
    public byte Flags;
    public SpanMarks Marks;

    public const byte HasEndFlag = 1;
    public const byte ParentMissingFlag = 2;
    public const byte HasMessageFlag = 4;
    public const byte HasErrorFlag = 8;

    public readonly bool HasEnd => (Flags & HasEndFlag) != 0;

    public readonly bool ParentMissing => (Flags & ParentMissingFlag) != 0;

    public readonly bool HasMessage => (Flags & HasMessageFlag) != 0;

    public static StoredSpan From(in SpanRecord span)
    {
        byte flags = 0;
        ulong end = 0;
        if (span.EndNs is { } e)
        {
            flags |= HasEndFlag;
            end = Math.Max(e, span.StartNs);
        }
        if (span.ParentMissing)
            flags |= ParentMissingFlag;
        if (span.Message is not null)
            flags |= HasMessageFlag;
        if (span.Error is not null)
            flags |= HasErrorFlag;
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
