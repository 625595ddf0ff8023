namespace TraceQuery.Filtering.Internals;

/// <summary>The operator between a field name and its value, as written.</summary>
internal enum FieldOperator
{
    /// <summary><c>:</c>.</summary>
    Colon,

    /// <summary><c>=</c> or <c>==</c>.</summary>
    Equal,

    /// <summary><c>!=</c>.</summary>
    NotEqual,

    /// <summary><c>&lt;</c>.</summary>
    Less,

    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    Greater,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,
}
