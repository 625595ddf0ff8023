using System.Globalization;
using System.Text;
using TraceQuery.Model;
using TraceQuery.Text;

namespace TraceQuery.Filtering.Internals;

/// <summary>
/// Writes a filter AST as canonical filter text: lowercase keywords and fields, explicit <c>and</c>,
/// parentheses only where precedence (not &gt; and &gt; or &gt; span operators, left-associative) needs them,
/// and around an and/or that is a side of a span operator, to show the grouping; quotes only where the lexer
/// would otherwise read something else.
/// </summary>
internal static class FilterFormatter
{
    private const int SpanPrecedence = 0;
    private const int OrPrecedence = 1;
    private const int AndPrecedence = 2;
    private const int NotPrecedence = 3;
    private const int TermPrecedence = 4;

    public static string Format(FilterNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is AllNode)
            return "";
        var text = new StringBuilder();
        Write(text, node, SpanPrecedence);
        return text.ToString();
    }

    private static void Write(StringBuilder text, FilterNode node, int minimumPrecedence)
    {
        ArgumentNullException.ThrowIfNull(node);
        int precedence = node switch
        {
            SpanRelationNode => SpanPrecedence,
            OrNode => OrPrecedence,
            AndNode => AndPrecedence,
            NotNode => NotPrecedence,
            _ => TermPrecedence,
        };
        bool parenthesize = precedence < minimumPrecedence;
        if (parenthesize)
            text.Append('(');
        switch (node)
        {
            case SpanRelationNode relation:
                Write(text, relation.Outer, relation.Outer is AndNode or OrNode ? TermPrecedence : SpanPrecedence);
                text.Append(' ').Append(FilterSyntax.RelationText(relation.Relation)).Append(' ');
                Write(text, relation.Inner, relation.Inner is AndNode or OrNode ? TermPrecedence : OrPrecedence);
                break;
            case OrNode or:
                // An and inside an or is parenthesized although precedence does not need it, so an echoed
                // filter shows how it was grouped: a or (b and c).
                Write(text, or.Left, or.Left is AndNode ? TermPrecedence : OrPrecedence);
                text.Append(" or ");
                Write(text, or.Right, or.Right is AndNode ? TermPrecedence : AndPrecedence);
                break;
            case AndNode and:
                Write(text, and.Left, AndPrecedence);
                text.Append(" and ");
                Write(text, and.Right, NotPrecedence);
                break;
            case NotNode not:
                text.Append("not ");
                Write(text, not.Operand, NotPrecedence);
                break;
            default:
                WriteTerm(text, node);
                break;
        }
        if (parenthesize)
            text.Append(')');
    }

    private static void WriteTerm(StringBuilder text, FilterNode node)
    {
        switch (node)
        {
            case KindTerm kind:
                text.Append("kind:");
                AppendList(text, kind.Kinds, nameof(KindTerm.Kinds), KindName);
                break;
            case ThreadTerm thread:
                text.Append("thread:");
                AppendList(text, thread.ThreadIds, nameof(ThreadTerm.ThreadIds), id => id.ToString(CultureInfo.InvariantCulture));
                break;
            case NameTerm name:
                WriteName(text, name);
                break;
            case WordTerm word:
                WriteWord(text, word);
                break;
            case DepthTerm depth:
                text.Append("depth").Append(ComparisonText(depth.Op)).Append(depth.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case TimeTerm time:
                WriteTime(text, time);
                break;
            case DurationTerm duration:
                text.Append("duration").Append(ComparisonText(duration.Op)).Append(TimeQuantity.Format(duration.Nanoseconds));
                break;
            case ArgTerm arg:
                WriteArg(text, arg);
                break;
            case DetailTerm detail:
                text.Append(detail.HasDetail ? "detail:yes" : "detail:no");
                break;
            case SpanDurationTerm duration:
                text.Append("dur").Append(ComparisonText(duration.Op)).Append(TimeQuantity.Format(duration.Nanoseconds));
                break;
            case SelfTimeTerm self:
                text.Append("self").Append(ComparisonText(self.Op)).Append(TimeQuantity.Format(self.Nanoseconds));
                break;
            case SpanStatusTerm status:
                text.Append("status:");
                AppendList(text, status.Statuses, nameof(SpanStatusTerm.Statuses), StatusName);
                break;
            case AllNode:
                throw new ArgumentException("AllNode (the empty filter) has no text of its own and cannot be combined with other terms.", nameof(node));
            default:
                throw new ArgumentException($"Unknown filter node type {node.GetType().Name}.", nameof(node));
        }
    }

    private static void AppendList<T>(StringBuilder text, IReadOnlyList<T> items, string what, Func<T, string> format)
    {
        ArgumentNullException.ThrowIfNull(items, what);
        if (items.Count == 0)
            throw new ArgumentException($"{what} is empty; a term needs at least one value.", what);
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
                text.Append(',');
            text.Append(format(items[i]));
        }
    }

    private static string KindName(EventKind kind) => kind is EventKind.Call or EventKind.Return or EventKind.Exception
        ? TraceText.Kind(kind)
        : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not an event kind the filter language can name.");

    private static string StatusName(SpanStatus status) => status switch
    {
        SpanStatus.Complete => "complete",
        SpanStatus.Unmatched => "unmatched",
        SpanStatus.Unwound => "unwound",
        SpanStatus.OrphanReturn => "orphan",
        SpanStatus.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a span status the filter language can name."),
    };

    private static string ComparisonText(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static void WriteName(StringBuilder text, NameTerm name)
    {
        text.Append(name.Field switch
        {
            NameField.Function => "fn:",
            NameField.Module => "module:",
            _ => throw new ArgumentOutOfRangeException(nameof(name), name.Field, "Unknown name field."),
        });
        ArgumentException.ThrowIfNullOrEmpty(name.Pattern, nameof(name));
        switch (name.Kind)
        {
            case NamePatternKind.Glob when IsBareValue(name.Pattern):
                text.Append(name.Pattern);
                break;
            case NamePatternKind.Glob:
                AppendQuoted(text, name.Pattern);
                break;
            case NamePatternKind.Regex:
                AppendRegex(text, name.Pattern);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name.Kind, "Unknown name pattern kind.");
        }
    }

    private static void WriteArg(StringBuilder text, ArgTerm arg)
    {
        ArgumentException.ThrowIfNullOrEmpty(arg.Pattern, nameof(arg));
        text.Append("arg");
        if (arg.Key is not null)
        {
            if (arg.Key.Length == 0 || !arg.Key.All(FilterSyntax.IsWordChar))
                throw new ArgumentException($"ArgTerm key \"{arg.Key}\" has no filter text: a key is written bare after 'arg.', without spaces or ( ) \" : < > = ! & |.", nameof(arg));
            text.Append('.').Append(arg.Key);
        }
        text.Append(':');
        if (IsBareValue(arg.Pattern))
            text.Append(arg.Pattern);
        else
            AppendQuoted(text, arg.Pattern);
    }

    private static void WriteWord(StringBuilder text, WordTerm word)
    {
        ArgumentException.ThrowIfNullOrEmpty(word.Word, nameof(word));
        if (word.MatchesExceptions != FilterSyntax.IsExceptionWord(word.Word))
        {
            throw new ArgumentException(
                $"WordTerm(\"{word.Word}\", MatchesExceptions: {word.MatchesExceptions}) has no filter text: the parser sets MatchesExceptions exactly for error, errors, exception, crash, fail and failed.",
                nameof(word));
        }
        if (IsBareWord(word.Word))
            text.Append(word.Word);
        else
            AppendQuoted(text, word.Word);
    }

    /// <summary>
    /// A window with both ends is a range; one end alone is a comparison, <c>&gt;=</c> / <c>&lt;</c> unless the
    /// equivalent <c>&gt;</c> / <c>&lt;=</c> has a rounder number (<c>time&gt;1ms</c> rather than <c>time&gt;=1.000001ms</c>).
    /// </summary>
    private static void WriteTime(StringBuilder text, TimeTerm time)
    {
        if (time.FromNs is long from && time.ToNs is long to)
        {
            text.Append("time:").Append(TimeQuantity.Format(from)).Append("..").Append(TimeQuantity.Format(to));
            return;
        }
        if (time.ToNs is long end)
        {
            AppendRounder(text, "time<", end, "time<=", end - 1);
            return;
        }
        // No bound at all means every event: each is at or after the trace start.
        long start = time.FromNs ?? 0;
        AppendRounder(text, "time>=", start, "time>", start - 1);
    }

    private static void AppendRounder(StringBuilder text, string preferredOperator, long preferred, string alternativeOperator, long alternative)
    {
        string preferredText = TimeQuantity.Format(preferred);
        if (alternative >= 0)
        {
            string alternativeText = TimeQuantity.Format(alternative);
            if (alternativeText.Length < preferredText.Length)
            {
                text.Append(alternativeOperator).Append(alternativeText);
                return;
            }
        }
        text.Append(preferredOperator).Append(preferredText);
    }

    /// <summary>
    /// True when <paramref name="word"/> reads back as one bare word: only word characters, not a keyword, and not a
    /// field name (which the parser refuses bare before <c>&gt;</c>, taking it for a comparison with a stray space).
    /// </summary>
    private static bool IsBareWord(string word)
    {
        foreach (char c in word)
        {
            if (!FilterSyntax.IsWordChar(c))
                return false;
        }
        return !FilterSyntax.TryGetKeyword(word, out _) && !FilterSyntax.TryGetField(word, out _);
    }

    /// <summary>True when a glob reads back unquoted: it does not start like a quote or regex and nothing in it ends a bare value.</summary>
    private static bool IsBareValue(string value)
    {
        if (value[0] is '"' or '/' || FilterSyntax.FindGluedSpanOperator(value).Start >= 0)
            return false;
        for (int i = 0; i < value.Length; i++)
        {
            if (FilterSyntax.EndsBareValue(value, i))
                return false;
        }
        return true;
    }

    private static void AppendQuoted(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\')
                text.Append('\\');
            text.Append(c);
        }
        text.Append('"');
    }

    /// <summary>Writes <c>/pattern/</c>: a bare slash becomes <c>\/</c>; escape pairs are copied as they are.</summary>
    private static void AppendRegex(StringBuilder text, string pattern)
    {
        text.Append('/');
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                text.Append(c).Append(pattern[i + 1]);
                i++;
            }
            else if (c == '/')
                text.Append("\\/");
            else
                text.Append(c);
        }
        text.Append('/');
    }
}
