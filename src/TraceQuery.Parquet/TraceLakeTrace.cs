namespace TraceQuery.Parquet;

/// <summary>What was written for one trace.</summary>
/// <param name="Name">The trace's name (its <c>trace</c> value and partition).</param>
/// <param name="Events">Rows of <c>events</c> (0 when events were not exported).</param>
/// <param name="Spans">Rows of <c>spans</c>.</param>
/// <param name="Functions">Rows of <c>functions</c>.</param>
/// <param name="Findings">Rows of <c>findings</c>.</param>
/// <param name="BytesWritten">Bytes of the Parquet files written for it.</param>
public sealed record TraceLakeTrace(string Name, long Events, long Spans, long Functions, long Findings, long BytesWritten);
