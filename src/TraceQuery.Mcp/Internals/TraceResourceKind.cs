namespace TraceQuery.Mcp.Internals;

/// <summary>The <c>trace://</c> URI forms, in the order they are matched (the bare trace form matches anything the others do not).</summary>
internal enum TraceResourceKind
{
    /// <summary><c>trace://&lt;name&gt;/event/&lt;thread&gt;/&lt;seq&gt;</c>: one event, as <c>get_events</c> resolves it.</summary>
    Event,

    /// <summary><c>trace://&lt;name&gt;/span/&lt;id&gt;</c>: one span, as <c>get_events</c> resolves it.</summary>
    Span,

    /// <summary><c>trace://&lt;name&gt;</c>: the trace's <c>trace_info</c> text.</summary>
    Trace,
}
