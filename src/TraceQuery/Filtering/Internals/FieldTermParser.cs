using System.Globalization;
using System.Text.RegularExpressions;
using TraceQuery.Model;

namespace TraceQuery.Filtering.Internals;

/// <summary>Turns a <see cref="FilterTokenKind.Field"/> token into its term node: checks the operator, then reads the value.</summary>
internal static class FieldTermParser
{
    /// <summary>The options filters compile regexes with; parsing builds one to reject what the engine cannot run.</summary>
    public const RegexOptions RegexOptionsUsed = RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>
    /// Builds the term for <paramref name="token"/>; its <see cref="FilterNode.Column"/> is the field name's column.
    /// <paramref name="validRegexes"/> holds the patterns this parse has already validated, so a repeated regex is built once.
    /// </summary>
    public static FilterNode Parse(string filter, in FilterToken token, HashSet<string> validRegexes)
    {
        CheckOperator(filter, token);
        if (token.Value.Length == 0)
            throw MissingValue(filter, token);

        // Columns inside the value: a quoted value starts one column after its quote (escapes aside).
        int valueColumn = token.ValueColumn + (token.ValueForm == FieldValueForm.Quoted ? 1 : 0);
        FilterNode node = token.Field switch
        {
            FilterField.Kind => new KindTerm(ParseKinds(filter, token.Value, valueColumn)),
            FilterField.Thread => new ThreadTerm(ParseThreads(filter, token.Value, valueColumn)),
            FilterField.Function or FilterField.Module => ParseName(filter, token, validRegexes),
            FilterField.Depth => new DepthTerm(token.Operator, ParseUnsigned(filter, token.Value, 0, token.Value.Length, valueColumn, "depth")),
            FilterField.Time => ParseTime(filter, token, valueColumn),
            FilterField.Duration => new DurationTerm(token.Operator,
                TimeQuantity.Parse(filter, token.Value, 0, token.Value.Length, valueColumn, "a duration")),
            FilterField.Detail => new DetailTerm(ParseDetail(filter, token.Value, valueColumn)),
            FilterField.SpanDuration => new SpanDurationTerm(token.Operator,
                TimeQuantity.Parse(filter, token.Value, 0, token.Value.Length, valueColumn, "a duration")),
            FilterField.SelfTime => new SelfTimeTerm(token.Operator,
                TimeQuantity.Parse(filter, token.Value, 0, token.Value.Length, valueColumn, "a self time")),
            FilterField.Status => new SpanStatusTerm(ParseStatuses(filter, token.Value, valueColumn)),
            FilterField.Arg => new ArgTerm(FilterSyntax.ArgKey(token.FieldName), token.Value),
            _ => throw new InvalidOperationException("unhandled field " + token.Field),
        };
        return node with { Column = token.Column };
    }

    private static void CheckOperator(string filter, in FilterToken token)
    {
        string name = FilterSyntax.FieldName(token.Field);
        bool comparable = token.Field is FilterField.Depth or FilterField.Duration or FilterField.SpanDuration or FilterField.SelfTime;
        if (comparable)
            return;
        if (token.Field == FilterField.Time)
        {
            if ((token.Operator == ComparisonOperator.Equal && !token.IsColon) || token.Operator == ComparisonOperator.NotEqual)
            {
                throw FilterErrors.Unexpected(filter, token.OperatorColumn, $"'{token.OperatorText}' after 'time'",
                    "a time is a window, not an instant: use a range such as time:1ms..2ms, or one of < <= > >= such as time>=1ms");
            }
            return;
        }
        if (token.Operator == ComparisonOperator.Equal)
            return;
        string hint = token.Operator == ComparisonOperator.NotEqual
            ? $"expected ':' (to exclude, write not {name}:…)"
            : $"expected ':' ({name} cannot be compared with < or >)";
        throw FilterErrors.Unexpected(filter, token.OperatorColumn, $"'{token.OperatorText}' after '{name}'", hint);
    }

    private static FilterSyntaxException MissingValue(string filter, in FilterToken token)
    {
        int column = token.ValueColumn;
        string written = FilterSyntax.FieldName(token.Field) + token.OperatorText;
        string expected = token.Field switch
        {
            FilterField.Kind => " (" + FilterSyntax.KindList + ")",
            FilterField.Thread => " (a thread id such as 3, or a list such as 1,3)",
            FilterField.Depth => " (a call depth such as 3)",
            FilterField.Time => token.IsColon ? " (a range such as 1ms..2ms)" : " (a time such as 1.5ms)",
            FilterField.Duration => " (a duration such as 10ms)",
            FilterField.Detail => " (yes or no)",
            FilterField.SpanDuration => " (a duration such as 10ms)",
            FilterField.SelfTime => " (a self time such as 1ms)",
            FilterField.Status => " (" + FilterSyntax.StatusList + ")",
            FilterField.Arg => " (a glob over attribute values such as *types.ts)",
            _ when token.ValueForm == FieldValueForm.Quoted => " (the quotes are empty)",
            _ when token.ValueForm == FieldValueForm.Regex => " (the regex is empty)",
            _ => "",
        };
        string message = $"expected a value after '{written}' at column {FilterErrors.Col(column)}{expected}";
        if (token.ValueForm == FieldValueForm.Bare && column <= filter.Length && char.IsWhiteSpace(filter[column - 1]) && filter[(column - 1)..].Trim().Length > 0)
            message += $"; remove the space after '{token.OperatorText}'";
        return FilterErrors.At(filter, column, message);
    }

    private static EventKind[] ParseKinds(string filter, string value, int column)
    {
        var kinds = new List<EventKind>();
        foreach ((int start, int end) in SplitList(value))
        {
            int itemColumn = column + start;
            string item = value[start..end];
            if (item.Length == 0)
                throw FilterErrors.At(filter, itemColumn, $"missing kind at column {FilterErrors.Col(itemColumn)}; expected {FilterSyntax.KindList}");
            kinds.Add(item.ToLowerInvariant() switch
            {
                "call" => EventKind.Call,
                "return" => EventKind.Return,
                "exception" => EventKind.Exception,
                _ => throw FilterErrors.At(filter, itemColumn,
                    $"unknown kind '{item}' at column {FilterErrors.Col(itemColumn)}; expected {FilterSyntax.KindList}"),
            });
        }
        return [.. kinds];
    }

    private static SpanStatus[] ParseStatuses(string filter, string value, int column)
    {
        var statuses = new List<SpanStatus>();
        foreach ((int start, int end) in SplitList(value))
        {
            int itemColumn = column + start;
            string item = value[start..end];
            if (item.Length == 0)
                throw FilterErrors.At(filter, itemColumn, $"missing status at column {FilterErrors.Col(itemColumn)}; expected {FilterSyntax.StatusList}");
            statuses.Add(item.ToLowerInvariant() switch
            {
                "complete" => SpanStatus.Complete,
                "unmatched" => SpanStatus.Unmatched,
                "unwound" => SpanStatus.Unwound,
                "orphan" => SpanStatus.OrphanReturn,
                "error" => SpanStatus.Error,
                _ => throw FilterErrors.At(filter, itemColumn,
                    $"unknown status '{item}' at column {FilterErrors.Col(itemColumn)}; expected {FilterSyntax.StatusList}"),
            });
        }
        return [.. statuses];
    }

    private static uint[] ParseThreads(string filter, string value, int column)
    {
        var threads = new List<uint>();
        foreach ((int start, int end) in SplitList(value))
            threads.Add(ParseUnsigned(filter, value, start, end, column + start, "thread id"));
        return [.. threads];
    }

    /// <summary>Items of a <c>,</c> or <c>|</c> separated list as (start, end) offsets; empty items included.</summary>
    private static List<(int Start, int End)> SplitList(string value)
    {
        var items = new List<(int, int)>();
        int start = 0;
        for (int i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] is ',' or '|')
            {
                items.Add((start, i));
                start = i + 1;
            }
        }
        return items;
    }

    private static uint ParseUnsigned(string filter, string value, int start, int end, int column, string what)
    {
        string item = value[start..end];
        if (item.Length == 0)
            throw FilterErrors.At(filter, column, $"missing {what} at column {FilterErrors.Col(column)}; expected a non-negative integer");
        foreach (char c in item)
        {
            if (!char.IsAsciiDigit(c))
                throw FilterErrors.At(filter, column, $"invalid {what} '{item}' at column {FilterErrors.Col(column)}; expected a non-negative integer");
        }
        if (!uint.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out uint number))
        {
            throw FilterErrors.At(filter, column,
                $"{what} '{item}' at column {FilterErrors.Col(column)} is too large; the largest is {uint.MaxValue.ToString(CultureInfo.InvariantCulture)}");
        }
        return number;
    }

    private static bool ParseDetail(string filter, string value, int column) => value.ToLowerInvariant() switch
    {
        "yes" or "true" => true,
        "no" or "false" => false,
        _ => throw FilterErrors.At(filter, column, $"unknown detail value '{value}' at column {FilterErrors.Col(column)}; expected yes, no, true or false"),
    };

    private static TimeTerm ParseTime(string filter, in FilterToken token, int column)
    {
        string value = token.Value;
        if (!token.IsColon)
        {
            long at = TimeQuantity.Parse(filter, value, 0, value.Length, column, "a time");
            return token.Operator switch
            {
                ComparisonOperator.GreaterOrEqual => new TimeTerm(at, null),
                ComparisonOperator.Greater => new TimeTerm(PlusOne(filter, value, at, column), null),
                ComparisonOperator.Less => new TimeTerm(null, at),
                _ => new TimeTerm(null, PlusOne(filter, value, at, column)),
            };
        }

        int dots = value.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0)
        {
            throw FilterErrors.At(filter, column,
                $"expected a range such as time:1s..2s at column {FilterErrors.Col(column)}, with '..' between start and end (either may be left out), or a comparison such as time>=1s");
        }
        if (dots == 0 && value.Length == 2)
            throw FilterErrors.At(filter, column, $"time range at column {FilterErrors.Col(column)} has neither start nor end; write e.g. time:1s.. or time:..2s");
        long? from = dots == 0 ? null : TimeQuantity.Parse(filter, value, 0, dots, column, "the start of the range");
        long? to = dots + 2 == value.Length ? null : TimeQuantity.Parse(filter, value, dots + 2, value.Length, column + dots + 2, "the end of the range");
        if (from >= to)
        {
            throw FilterErrors.At(filter, column,
                $"time range at column {FilterErrors.Col(column)} is empty; its start ({value[..dots]}) must be before its end ({value[(dots + 2)..]}), which is excluded");
        }
        return new TimeTerm(from, to);
    }

    private static long PlusOne(string filter, string written, long nanoseconds, int column) =>
        nanoseconds == long.MaxValue ? throw TimeQuantity.TooLarge(filter, written, column) : nanoseconds + 1;

    private static NameTerm ParseName(string filter, in FilterToken token, HashSet<string> validRegexes)
    {
        NameField field = token.Field == FilterField.Function ? NameField.Function : NameField.Module;
        if (token.ValueForm == FieldValueForm.Bare)
            RejectGluedSpanOperator(filter, token);
        if (token.ValueForm != FieldValueForm.Regex)
            return new NameTerm(field, NamePatternKind.Glob, token.Value);

        string pattern = token.Value;
        int column = token.ValueColumn;
        if (pattern.Length > FilterParser.MaxRegexLength)
        {
            throw FilterErrors.At(filter, column,
                $"regex at column {FilterErrors.Col(column)} is {pattern.Length.ToString(CultureInfo.InvariantCulture)} characters long; the limit is {FilterParser.MaxRegexLength.ToString(CultureInfo.InvariantCulture)}");
        }
        if (validRegexes.Contains(pattern))
            return new NameTerm(field, NamePatternKind.Regex, pattern);
        try
        {
            _ = new Regex(pattern, RegexOptionsUsed, FilterParser.RegexMatchTimeout);
        }
        catch (RegexParseException e)
        {
            int near = PatternOffsetToColumn(filter, column, e.Offset);
            throw FilterErrors.At(filter, column, $"invalid regex at column {FilterErrors.Col(column)}: {ParseReason(e)} (near column {FilterErrors.Col(near)})");
        }
        catch (NotSupportedException e)
        {
            throw FilterErrors.At(filter, column, $"invalid regex at column {FilterErrors.Col(column)}: {UnsupportedReason(e)}");
        }
        catch (ArgumentException e)
        {
            throw FilterErrors.At(filter, column, $"invalid regex at column {FilterErrors.Col(column)}: {e.Message}");
        }
        validRegexes.Add(pattern);
        return new NameTerm(field, NamePatternKind.Regex, pattern);
    }

    /// <summary>Refuses a bare name such as <c>flush&gt;&gt;fn:write</c>, a span operator written without spaces.</summary>
    private static void RejectGluedSpanOperator(string filter, in FilterToken token)
    {
        (int start, int end) = FilterSyntax.FindGluedSpanOperator(token.Value);
        if (start < 0)
            return;
        string op = token.Value[start..end];
        throw FilterErrors.Unexpected(filter, token.ValueColumn + start, $"'{op}' inside the name",
            $"put spaces around a span operator, e.g. {FilterSyntax.RelationExample}, or quote a name that contains '{op}'");
    }

    /// <summary>The reason of a <see cref="RegexParseException"/> without the pattern it repeats ("Not enough )'s").</summary>
    private static string ParseReason(RegexParseException e)
    {
        string message = e.Message;
        int offset = message.IndexOf(" at offset ", StringComparison.Ordinal);
        int sentence = offset < 0 ? -1 : message.IndexOf(". ", offset, StringComparison.Ordinal);
        string reason = sentence < 0 ? message : message[(sentence + 2)..];
        return reason.TrimEnd('.');
    }

    /// <summary>What NonBacktracking refuses, said as what to do: backreferences, lookarounds, atomic groups, \G, conditionals, huge automata.</summary>
    private static string UnsupportedReason(NotSupportedException e)
    {
        const string Marker = "containing: '";
        string message = e.Message;
        int at = message.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
            return "not supported by the non-backtracking engine that filters use: " + message.TrimEnd('.');
        string construct = message[(at + Marker.Length)..].TrimEnd('.').TrimEnd('\'');
        return $"it uses {construct}, which filters do not support (their regexes run without backtracking, in linear time); rewrite the pattern without it";
    }

    /// <summary>The column of pattern offset <paramref name="offset"/>, counting each <c>\/</c> in the source as two columns.</summary>
    private static int PatternOffsetToColumn(string filter, int slashColumn, int offset)
    {
        int source = slashColumn; // 0-based index of the first pattern character
        int produced = 0;
        while (produced < offset && source < filter.Length)
        {
            bool escape = filter[source] == '\\' && source + 1 < filter.Length;
            if (escape && filter[source + 1] == '/')
            {
                source += 2; // \/ in the source is one '/' in the pattern
                produced++;
            }
            else if (escape && produced + 1 < offset)
            {
                source += 2;
                produced += 2;
            }
            else
            {
                source++;
                produced++;
            }
        }
        return source + 1;
    }
}
