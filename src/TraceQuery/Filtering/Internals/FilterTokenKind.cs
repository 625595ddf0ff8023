namespace TraceQuery.Filtering.Internals;

/// <summary>What a <see cref="FilterToken"/> is.</summary>
internal enum FilterTokenKind
{
    /// <summary>The end of the filter text.</summary>
    End,

    /// <summary><c>(</c>.</summary>
    LeftParen,

    /// <summary><c>)</c>.</summary>
    RightParen,

    /// <summary><c>and</c> or <c>&amp;&amp;</c>.</summary>
    And,

    /// <summary><c>or</c> or <c>||</c>.</summary>
    Or,

    /// <summary><c>not</c> or <c>!</c>.</summary>
    Not,

    /// <summary>A bare or quoted word.</summary>
    Word,

    /// <summary>A field term such as <c>kind:call</c>: field name, operator and raw value.</summary>
    Field,

    /// <summary>A span operator: <c>&gt;</c>, <c>&gt;&gt;</c>, <c>!&gt;</c> or <c>!&gt;&gt;</c> (<see cref="FilterToken.Relation"/>).</summary>
    Relation,
}
