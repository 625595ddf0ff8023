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
}
