namespace TraceQuery.Fuzz;

/// <summary>A broken contract that is not an exception of its own: a malformed response, a canonical filter that does not read back.</summary>
public sealed class FuzzFindingException(string message) : Exception(message);
