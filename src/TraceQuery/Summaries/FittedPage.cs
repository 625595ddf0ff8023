namespace TraceQuery.Summaries;

/// <summary>One page of an answer fitted to its budget.</summary>
/// <param name="Text">The page's text.</param>
/// <param name="TokenCount">Its tokens by the counting model.</param>
/// <param name="Truncated">True when lines were left for later pages.</param>
/// <param name="NextCursor">The cursor of the next page, or null on the last page.</param>
internal sealed record FittedPage(string Text, int TokenCount, bool Truncated, string? NextCursor);
