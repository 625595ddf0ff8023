namespace TraceQuery.Analysis;

/// <summary>What the caller already suspects, for <see cref="KeySymbolPlanner.Plan"/>: each hint that matches a function adds to its score.</summary>
public sealed record KeySymbolHints
{
    /// <summary>No hints.</summary>
    public static KeySymbolHints None { get; } = new();

    /// <summary>Module names or paths (<c>libstore.so</c>, <c>libstore</c>): matches functions of a module whose file name contains one.</summary>
    public IReadOnlyList<string> Modules { get; init; } = [];

    /// <summary>Function names: an exact name scores most, shared identifier parts less.</summary>
    public IReadOnlyList<string> Functions { get; init; } = [];

    /// <summary>Source file names (<c>header_parser.c</c>): their identifier parts are matched against function names.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
}
