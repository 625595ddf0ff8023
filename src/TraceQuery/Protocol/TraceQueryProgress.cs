namespace TraceQuery.Protocol;

/// <summary>
/// One step of a request's work, reported by <see cref="TraceQueryServer.HandleRequestAsync(string, IProgress{TraceQueryProgress}, CancellationToken)"/>:
/// the stage (<see cref="ReadStage"/>, <see cref="SpansStage"/>, <see cref="AnswerStage"/>, in that order), a line for a
/// person, and for reading the bytes done out of the total (zero otherwise).
/// </summary>
/// <param name="Stage">Which stage: <see cref="ReadStage"/>, <see cref="SpansStage"/> or <see cref="AnswerStage"/>.</param>
/// <param name="Message">What is happening, e.g. "reading indexer: 0 of 1,234,567 bytes".</param>
/// <param name="BytesRead">Bytes of the trace read so far (reading stage only).</param>
/// <param name="BytesTotal">Bytes of the trace in all (reading stage only; 0 for an in-memory trace).</param>
public readonly record struct TraceQueryProgress(string Stage, string Message, long BytesRead, long BytesTotal)
{
    /// <summary>Reading the trace from disk (or finding it already loaded).</summary>
    public const string ReadStage = "read";

    /// <summary>Pairing calls with their returns into spans (cached on the trace after the first request).</summary>
    public const string SpansStage = "spans";

    /// <summary>Filtering, analysing and fitting the answer to the budget.</summary>
    public const string AnswerStage = "answer";
}
