namespace TraceQuery.Filtering;

/// <summary>How a name pattern matches.</summary>
public enum NamePatternKind
{
    /// <summary>Shell glob: <c>*</c> any run, <c>?</c> one character; the whole name must match; case-insensitive.</summary>
    Glob,

    /// <summary><c>/regex/</c>: .NET regex, NonBacktracking, case-insensitive, unanchored (use ^ and $ to anchor).</summary>
    Regex,
}
