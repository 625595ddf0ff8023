namespace TraceQuery.Filtering;

/// <summary>
/// A bare (or quoted) word: events whose function or module name contains it, case-insensitive. The
/// words <c>error, errors, exception, crash, fail, failed</c> also match EXCEPTION events
/// (<see cref="MatchesExceptions"/>).
/// </summary>
public sealed record WordTerm(string Word, bool MatchesExceptions) : FilterNode;
