namespace TraceQuery.Filtering.Internals;

/// <summary>
/// The lexical rules shared by the lexer and the formatter, so that what <see cref="FilterFormatter"/>
/// leaves unquoted is exactly what <see cref="FilterLexer"/> reads back as one word or value.
/// </summary>
internal static class FilterSyntax
{
    /// <summary>Field names in the order error messages list them.</summary>
    public const string FieldList = "kind, thread, fn, module, depth, time, duration, detail, dur, self, status, arg, arg.<key>";

    /// <summary>The statuses a <c>status:</c> term accepts, for messages.</summary>
    public const string StatusList = "complete, unmatched, unwound, orphan or error";

    /// <summary>The span operators, for messages.</summary>
    public const string RelationList = "> (child of), >> (descendant of), !> (not child of) or !>> (not descendant of)";

    /// <summary>An example of a structural filter, for messages.</summary>
    public const string RelationExample = "fn:flush >> fn:write";

    /// <summary>The kinds a <c>kind:</c> term accepts, for messages.</summary>
    public const string KindList = "call, return or exception";

    /// <summary>True for a character that may appear in a bare word: not whitespace and none of <c>( ) " : &lt; &gt; = ! &amp; |</c>.</summary>
    public static bool IsWordChar(char c) =>
        !char.IsWhiteSpace(c) && c is not ('(' or ')' or '"' or ':' or '<' or '>' or '=' or '!' or '&' or '|');

    /// <summary>True for a character that starts an operator between a field name and its value.</summary>
    public static bool IsOperatorStart(string text, int index) =>
        index < text.Length && (text[index] is ':' or '=' or '<' or '>' || (text[index] == '!' && index + 1 < text.Length && text[index + 1] == '='));

    /// <summary>True where a bare field value stops: the end, whitespace, a parenthesis, a quote, <c>&amp;&amp;</c> or <c>||</c>.</summary>
    public static bool EndsBareValue(string text, int index)
    {
        if (index >= text.Length)
            return true;
        char c = text[index];
        return char.IsWhiteSpace(c) || c is '(' or ')' or '"' || IsDoubleSymbol(text, index);
    }

    /// <summary>True where a term may end: the end, whitespace, <c>)</c>, <c>&amp;&amp;</c> or <c>||</c>.</summary>
    public static bool IsTermBoundary(string text, int index) =>
        index >= text.Length || char.IsWhiteSpace(text[index]) || text[index] == ')' || IsDoubleSymbol(text, index);

    /// <summary>True at <c>&amp;&amp;</c> or <c>||</c>.</summary>
    public static bool IsDoubleSymbol(string text, int index) =>
        index + 1 < text.Length && text[index] is '&' or '|' && text[index + 1] == text[index];

    /// <summary>Recognises <c>and</c>, <c>or</c> and <c>not</c> in any case.</summary>
    public static bool TryGetKeyword(string word, out FilterTokenKind kind)
    {
        if (word.Equals("and", StringComparison.OrdinalIgnoreCase))
            kind = FilterTokenKind.And;
        else if (word.Equals("or", StringComparison.OrdinalIgnoreCase))
            kind = FilterTokenKind.Or;
        else if (word.Equals("not", StringComparison.OrdinalIgnoreCase))
            kind = FilterTokenKind.Not;
        else
        {
            kind = FilterTokenKind.End;
            return false;
        }
        return true;
    }

    /// <summary>Recognises a field name in any case; <c>arg.KEY</c> (any key after the dot) is the attribute field.</summary>
    public static bool TryGetField(string name, out FilterField field)
    {
        if (name.Length > ArgKeyPrefix.Length && name.StartsWith(ArgKeyPrefix, StringComparison.OrdinalIgnoreCase))
        {
            field = FilterField.Arg;
            return true;
        }
        switch (name.ToLowerInvariant())
        {
            case "kind": field = FilterField.Kind; return true;
            case "thread": field = FilterField.Thread; return true;
            case "fn": field = FilterField.Function; return true;
            case "module": field = FilterField.Module; return true;
            case "depth": field = FilterField.Depth; return true;
            case "time": field = FilterField.Time; return true;
            case "duration": field = FilterField.Duration; return true;
            case "detail": field = FilterField.Detail; return true;
            case "dur": field = FilterField.SpanDuration; return true;
            case "self": field = FilterField.SelfTime; return true;
            case "status": field = FilterField.Status; return true;
            case "arg": field = FilterField.Arg; return true;
            default: field = default; return false;
        }
    }

    /// <summary>What starts the field name of an attribute term with a key: <c>arg.path:…</c>.</summary>
    public const string ArgKeyPrefix = "arg.";

    /// <summary>The key of an <c>arg.KEY</c> field name as written, or null for plain <c>arg</c>.</summary>
    public static string? ArgKey(string fieldName) =>
        fieldName.Length > ArgKeyPrefix.Length && fieldName.StartsWith(ArgKeyPrefix, StringComparison.OrdinalIgnoreCase) ? fieldName[ArgKeyPrefix.Length..] : null;

    /// <summary>The canonical (lowercase) name of a field.</summary>
    public static string FieldName(FilterField field) => field switch
    {
        FilterField.Kind => "kind",
        FilterField.Thread => "thread",
        FilterField.Function => "fn",
        FilterField.Module => "module",
        FilterField.Depth => "depth",
        FilterField.Time => "time",
        FilterField.Duration => "duration",
        FilterField.Detail => "detail",
        FilterField.SpanDuration => "dur",
        FilterField.SelfTime => "self",
        FilterField.Status => "status",
        FilterField.Arg => "arg",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>
    /// Where a bare name holds a span operator written without spaces (<c>flush&gt;&gt;fn:write</c>): a run of
    /// <c>&gt;</c> (after an optional <c>!</c>) followed by a field name and its operator. (-1, -1) when there is none.
    /// </summary>
    public static (int Start, int End) FindGluedSpanOperator(string value)
    {
        for (int i = value.IndexOf('>', StringComparison.Ordinal); i >= 0; i = value.IndexOf('>', i))
        {
            int start = i > 0 && value[i - 1] == '!' ? i - 1 : i;
            int end = i;
            while (end < value.Length && value[end] == '>')
                end++;
            int name = end;
            while (name < value.Length && IsWordChar(value[name]))
                name++;
            if (name > end && TryGetField(value[end..name], out _) && IsOperatorStart(value, name))
                return (start, end);
            if (end >= value.Length)
                break;
            i = end;
        }
        return (-1, -1);
    }

    /// <summary>The text of a span operator.</summary>
    public static string RelationText(SpanRelation relation) => relation switch
    {
        SpanRelation.Child => ">",
        SpanRelation.Descendant => ">>",
        SpanRelation.NotChild => "!>",
        SpanRelation.NotDescendant => "!>>",
        _ => throw new ArgumentOutOfRangeException(nameof(relation), relation, null),
    };

    /// <summary>
    /// True for the words that also select EXCEPTION events: <c>error, errors, exception, crash, fail, failed</c>,
    /// in any case (<see cref="WordTerm.MatchesExceptions"/>).
    /// </summary>
    public static bool IsExceptionWord(string word) =>
        word.Equals("error", StringComparison.OrdinalIgnoreCase)
        || word.Equals("errors", StringComparison.OrdinalIgnoreCase)
        || word.Equals("exception", StringComparison.OrdinalIgnoreCase)
        || word.Equals("crash", StringComparison.OrdinalIgnoreCase)
        || word.Equals("fail", StringComparison.OrdinalIgnoreCase)
        || word.Equals("failed", StringComparison.OrdinalIgnoreCase);
}
