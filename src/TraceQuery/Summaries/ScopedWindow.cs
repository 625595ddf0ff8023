namespace TraceQuery.Summaries;

/// <summary>Where a scoped search looks: the anchor text, the windows either side (null for the defaults) and whether detail records are shown.</summary>
/// <param name="Anchor"><c>span:&lt;id&gt;</c>, <c>event:&lt;thread&gt;:&lt;seq&gt;</c> or a time since the trace's first event.</param>
/// <param name="LookBackNs">Nanoseconds before the anchor; null for the default.</param>
/// <param name="LookAheadNs">Nanoseconds after the anchor; null for the default.</param>
/// <param name="IncludeDetail">Show detail records under the events that have one.</param>
internal sealed record ScopedWindow(string Anchor, long? LookBackNs, long? LookAheadNs, bool IncludeDetail);
