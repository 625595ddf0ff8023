namespace TraceQuery.Protocol.Internals;

/// <summary>What every method needs from a request besides its own parameters.</summary>
internal sealed record RequestContext(string TraceName, int Budget, string? Cursor, string? Model, CancellationToken Cancellation);
