using TraceQuery.Text;

namespace TraceQuery.Recording.Internals;

/// <summary>
/// An <see cref="System.Diagnostics.ActivitySource"/> name pattern with <c>*</c> (any run) and <c>?</c> (one
/// character) wildcards, matched ignoring case by the library's one <see cref="Glob"/>. Used once per source when the
/// listener decides whether to listen to it, never per event.
/// </summary>
internal sealed class SourceNamePattern(string pattern)
{
    /// <summary>The pattern as given.</summary>
    public string Pattern { get; } = pattern;

    /// <summary>True when <paramref name="name"/> matches the whole pattern.</summary>
    public bool IsMatch(string name) => Glob.IsMatch(Pattern, name);
}
