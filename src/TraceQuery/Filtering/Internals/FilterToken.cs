namespace TraceQuery.Filtering.Internals;

/// <summary>
/// One token of a filter. <see cref="Column"/> is the 1-based column of its first character and
/// <see cref="Text"/> the source text as written (for messages). Words and field terms carry their
/// unescaped <see cref="Value"/>; field terms also carry the field, operator and where the value starts.
/// </summary>
internal readonly record struct FilterToken(FilterTokenKind Kind, int Column, string Text)
{
    /// <summary>Word: the unescaped word. Field: the unescaped value (a regex without its slashes).</summary>
    public string Value { get; init; } = "";

    /// <summary>How <see cref="Value"/> was written.</summary>
    public FieldValueForm ValueForm { get; init; }

    /// <summary>Field terms: the field named.</summary>
    public FilterField Field { get; init; }

    /// <summary>Field terms: the field name as written.</summary>
    public string FieldName { get; init; } = "";

    /// <summary>Field terms: the comparison the operator means (<c>:</c> and <c>==</c> mean <see cref="ComparisonOperator.Equal"/>).</summary>
    public ComparisonOperator Operator { get; init; }

    /// <summary>Field terms: the operator was <c>:</c> (membership, or a range for <c>time</c>) rather than a comparison.</summary>
    public bool IsColon => OperatorText == ":";

    /// <summary>Field terms: the operator as written (<c>:</c>, <c>&gt;=</c>, <c>==</c>, …).</summary>
    public string OperatorText { get; init; } = "";

    /// <summary>Field terms: 1-based column of the operator.</summary>
    public int OperatorColumn { get; init; }

    /// <summary>Field terms: 1-based column of the value's first character (its opening quote or slash, if any).</summary>
    public int ValueColumn { get; init; }

    /// <summary>Span operators: which relation.</summary>
    public SpanRelation Relation { get; init; }
}
