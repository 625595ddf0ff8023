namespace TraceQuery;

/// <summary>A <see cref="QueryEngine.GetEvents"/> request: evidence references resolved to one line each.</summary>
public sealed record EventLookupRequest : TraceRequest
{
    /// <summary>At most this many references per request.</summary>
    public const int MaxReferences = 1000;

    /// <summary>References such as <c>event:1:2</c>, <c>span:3</c>, <c>fn:0x05e4df9100000003</c>, at most <see cref="MaxReferences"/>. Required.</summary>
    public required IReadOnlyList<string> References { get; init; }

    /// <summary>Show each event's detail record (arguments, return values, registers). Default true.</summary>
    public bool IncludeDetail { get; init; } = true;
}
