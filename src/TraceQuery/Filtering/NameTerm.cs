namespace TraceQuery.Filtering;

/// <summary><c>fn:&lt;glob&gt;</c>, <c>fn:/regex/</c>, <c>module:&lt;glob&gt;</c>.</summary>
public sealed record NameTerm(NameField Field, NamePatternKind Kind, string Pattern) : FilterNode;
