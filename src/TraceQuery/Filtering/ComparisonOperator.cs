namespace TraceQuery.Filtering;

/// <summary>A comparison operator.</summary>
public enum ComparisonOperator
{
    /// <summary><c>=</c> (also <c>:</c>).</summary>
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
