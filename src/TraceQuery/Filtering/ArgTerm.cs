namespace TraceQuery.Filtering;

/// <summary>
/// <c>arg:GLOB</c> or <c>arg.KEY:GLOB</c>: the CALL events that open a span whose attributes (Chrome <c>args</c>, OTLP
/// attributes) hold a value matching <see cref="Pattern"/> (a glob over the whole value, <c>*</c> and <c>?</c>, ignoring
/// case); with a <see cref="Key"/>, only that attribute's value (dotted keys as flattened, <c>arg.data.url:*.js</c>; the
/// key ignores case). Compiled as a walk over the sparse attribute table, not a scan of the columns.
/// </summary>
/// <param name="Key">The attribute key, or null for any attribute.</param>
/// <param name="Pattern">The glob the value must match.</param>
public sealed record ArgTerm(string? Key, string Pattern) : FilterNode;
