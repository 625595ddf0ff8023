namespace TraceQuery.Parquet;

/// <summary>What an export wrote: one entry per trace (sorted by name), the traces that could not be read, and totals.</summary>
/// <param name="Destination">The lake's folder.</param>
/// <param name="Traces">Traces written, sorted by name.</param>
/// <param name="Failures">Traces that could not be read, sorted by name; nothing was written for them.</param>
/// <param name="BytesRead">Bytes of the source traces that were written.</param>
public sealed record TraceLakeExport(string Destination, IReadOnlyList<TraceLakeTrace> Traces, IReadOnlyList<TraceLakeFailure> Failures, long BytesRead)
{
    /// <summary>Rows of <c>events</c> written.</summary>
    public long Events => Traces.Sum(t => t.Events);

    /// <summary>Rows of <c>spans</c> written.</summary>
    public long Spans => Traces.Sum(t => t.Spans);

    /// <summary>Rows of <c>functions</c> written.</summary>
    public long Functions => Traces.Sum(t => t.Functions);

    /// <summary>Rows of <c>findings</c> written.</summary>
    public long Findings => Traces.Sum(t => t.Findings);

    /// <summary>Bytes of Parquet written.</summary>
    public long BytesWritten => Traces.Sum(t => t.BytesWritten);
}
