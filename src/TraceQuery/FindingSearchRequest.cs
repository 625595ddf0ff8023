namespace TraceQuery;

/// <summary>A <see cref="QueryEngine.SearchFindings"/> request: the analysis's findings, ranked for a symptom in plain words.</summary>
public sealed record FindingSearchRequest : TraceRequest
{
    /// <summary>The symptom (<c>hang when saving</c>); empty keeps the analysis's own order.</summary>
    public string Symptom { get; init; } = "";

    /// <summary>Show at most this many findings (at least 1). Default 20.</summary>
    public int Limit { get; init; } = 20;
}
