namespace TraceQuery.Filtering.Internals;

/// <summary>How a word or field value was written.</summary>
internal enum FieldValueForm
{
    /// <summary>Unquoted text, taken literally.</summary>
    Bare,

    /// <summary><c>"…"</c> with <c>\"</c> and <c>\\</c> escapes.</summary>
    Quoted,

    /// <summary><c>/…/</c> with <c>\/</c> escaping a slash (only after <c>fn:</c> and <c>module:</c>).</summary>
    Regex,
}
