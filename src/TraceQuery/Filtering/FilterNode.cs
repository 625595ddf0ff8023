using TraceQuery.Model;

namespace TraceQuery.Filtering;

/// <summary>A node of a parsed filter. <see cref="Column"/> is the 1-based column of the node's first character in the filter text.</summary>
public abstract record FilterNode
{
    /// <summary>1-based column of the node's first character in the filter text.</summary>
    public int Column { get; init; }
}

/// <summary>Both operands match (<c>a and b</c>, or juxtaposition <c>a b</c>).</summary>
public sealed record AndNode(FilterNode Left, FilterNode Right) : FilterNode;

/// <summary>Either operand matches (<c>a or b</c>).</summary>
public sealed record OrNode(FilterNode Left, FilterNode Right) : FilterNode;

/// <summary>The operand does not match (<c>not a</c>).</summary>
public sealed record NotNode(FilterNode Operand) : FilterNode;

/// <summary><c>kind:call|return|exception</c>, several kinds separated by <c>,</c> or <c>|</c>.</summary>
public sealed record KindTerm(IReadOnlyList<EventKind> Kinds) : FilterNode;

/// <summary><c>thread:1,3</c>: events of the listed thread ids.</summary>
public sealed record ThreadTerm(IReadOnlyList<uint> ThreadIds) : FilterNode;

/// <summary>Which name a <see cref="NameTerm"/> tests.</summary>
public enum NameField
{
    /// <summary><c>fn:</c> — the function's name.</summary>
    Function,

    /// <summary><c>module:</c> — the module's file name (last path segment) or full path.</summary>
    Module,
}

/// <summary>How a name pattern matches.</summary>
public enum NamePatternKind
{
    /// <summary>Shell glob: <c>*</c> any run, <c>?</c> one character; the whole name must match; case-insensitive.</summary>
    Glob,

    /// <summary><c>/regex/</c>: .NET regex, NonBacktracking, case-insensitive, unanchored (use ^ and $ to anchor).</summary>
    Regex,
}

/// <summary><c>fn:&lt;glob&gt;</c>, <c>fn:/regex/</c>, <c>module:&lt;glob&gt;</c>.</summary>
public sealed record NameTerm(NameField Field, NamePatternKind Kind, string Pattern) : FilterNode;

/// <summary>
/// A bare (or quoted) word: events whose function or module name contains it, case-insensitive. The
/// words <c>error, errors, exception, crash, fail, failed</c> also match EXCEPTION events
/// (<see cref="MatchesExceptions"/>).
/// </summary>
public sealed record WordTerm(string Word, bool MatchesExceptions) : FilterNode;

/// <summary>A comparison operator.</summary>
public enum ComparisonOperator
{
    /// <summary><c>=</c> (also <c>:</c>).</summary>
    Equal,
    /// <summary><c>!=</c>.</summary>
    NotEqual,
    /// <summary><c>&lt;</c>.</summary>
    Less,
    /// <summary><c>&lt;=</c>.</summary>
    LessOrEqual,
    /// <summary><c>&gt;</c>.</summary>
    Greater,
    /// <summary><c>&gt;=</c>.</summary>
    GreaterOrEqual,
}

/// <summary><c>depth&gt;3</c>, <c>depth:2</c>: compares the event's call depth.</summary>
public sealed record DepthTerm(ComparisonOperator Op, uint Value) : FilterNode;

/// <summary>
/// A time window relative to the trace start, in nanoseconds: <c>time:1.5s..2s</c> is
/// <c>[1.5 s, 2 s)</c> (from inclusive, to exclusive); <c>time&gt;=1ms</c> has no upper end; <c>time&lt;5ms</c>
/// no lower end. Null means unbounded on that side.
/// </summary>
public sealed record TimeTerm(long? FromNs, long? ToNs) : FilterNode;

/// <summary><c>duration&gt;10ms</c>: compares the duration of the call span that a RETURN closes (other events never match).</summary>
public sealed record DurationTerm(ComparisonOperator Op, long Nanoseconds) : FilterNode;

/// <summary><c>detail:yes|no</c>: whether the event links a readable detail record.</summary>
public sealed record DetailTerm(bool HasDetail) : FilterNode;

/// <summary><c>dur&gt;10ms</c>: compares a span's duration (to the thread's last event when it never closed); selects the span's opening event.</summary>
public sealed record SpanDurationTerm(ComparisonOperator Op, long Nanoseconds) : FilterNode;

/// <summary><c>self&gt;1ms</c>: compares a span's self time (its duration minus its direct children's); selects the span's opening event.</summary>
public sealed record SelfTimeTerm(ComparisonOperator Op, long Nanoseconds) : FilterNode;

/// <summary><c>status:unwound,unmatched</c>: spans that ended in one of the listed ways; selects each span's opening event.</summary>
public sealed record SpanStatusTerm(IReadOnlyList<SpanStatus> Statuses) : FilterNode;

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

/// <summary>
/// A structural filter such as <c>fn:flush &gt;&gt; fn:write</c>: the spans matching <see cref="Inner"/> whose parent or
/// ancestors relate to spans matching <see cref="Outer"/> as <see cref="Relation"/> says. A span matches a side when
/// its opening event (the CALL; for an orphan, its RETURN) matches it; the result selects the opening events of the
/// matching inner spans, one event per span.
/// </summary>
public sealed record SpanRelationNode(SpanRelation Relation, FilterNode Outer, FilterNode Inner) : FilterNode;

/// <summary>Matches every event (the empty filter).</summary>
public sealed record AllNode : FilterNode;
