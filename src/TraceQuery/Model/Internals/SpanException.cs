namespace TraceQuery.Model.Internals;

/// <summary>An exception recorded in a span.</summary>
internal struct SpanException
{
    public ulong SpanId;
    public ulong TimestampNs;
    public string? Message;
    public int Next;
}
