namespace TraceQuery.Filtering.Internals;

/// <summary>The field a field term names (<c>kind:</c>, <c>fn:</c>, …).</summary>
internal enum FilterField
{
    /// <summary><c>kind</c>.</summary>
    Kind,

    /// <summary><c>thread</c>.</summary>
    Thread,

    /// <summary><c>fn</c>.</summary>
    Function,

    /// <summary><c>module</c>.</summary>
    Module,

    /// <summary><c>depth</c>.</summary>
    Depth,

    /// <summary><c>time</c>.</summary>
    Time,

    /// <summary><c>duration</c>.</summary>
    Duration,

    /// <summary><c>detail</c>.</summary>
    Detail,

    /// <summary><c>dur</c>: a span's duration.</summary>
    SpanDuration,

    /// <summary><c>self</c>: a span's self time.</summary>
    SelfTime,

    /// <summary><c>status</c>: how a span ended.</summary>
    Status,

    /// <summary><c>arg:</c> or <c>arg.KEY:</c> — span attributes (<see cref="ArgTerm"/>).</summary>
    Arg,
}
