namespace TraceQuery.Filtering;

/// <summary>How the spans of the two sides of a <see cref="SpanRelationNode"/> must be related.</summary>
public enum SpanRelation
{
    /// <summary><c>A &gt; B</c>: the span's direct parent matches A.</summary>
    Child,

    /// <summary><c>A &gt;&gt; B</c>: some ancestor of the span matches A.</summary>
    Descendant,

    /// <summary><c>A !&gt; B</c>: the span's direct parent does not match A (or it has none).</summary>
    NotChild,

    /// <summary><c>A !&gt;&gt; B</c>: no ancestor of the span matches A.</summary>
    NotDescendant,
}
