using System.Text;

namespace TraceQuery.Filtering.Internals;

/// <summary>
/// Splits filter text into tokens on demand, so the first problem from the left is the one reported.
/// A bare word directly followed by an operator (<c>:</c>, <c>=</c>, <c>!=</c>, <c>&lt;</c>, …) is a field
/// term and its value is read with it: bare, <c>"quoted"</c>, or <c>/regex/</c> after <c>fn:</c> and <c>module:</c>.
/// </summary>
internal sealed class FilterLexer
{
    private readonly string _text;
    private int _position;

    public FilterLexer(string text)
    {
        _text = text;
    }

    /// <summary>Reads the next token; at the end returns <see cref="FilterTokenKind.End"/> with the column after the last character.</summary>
    public FilterToken Next()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
            _position++;
        int start = _position;
        int column = start + 1;
        if (start >= _text.Length)
            return new FilterToken(FilterTokenKind.End, column, "");

        char c = _text[start];
        switch (c)
        {
            case '(':
                _position++;
                return new FilterToken(FilterTokenKind.LeftParen, column, "(");
            case ')':
                _position++;
                return new FilterToken(FilterTokenKind.RightParen, column, ")");
            case '&' or '|':
                if (!FilterSyntax.IsDoubleSymbol(_text, start))
                    throw SingleSymbol(start);
                _position += 2;
                return new FilterToken(c == '&' ? FilterTokenKind.And : FilterTokenKind.Or, column, c == '&' ? "&&" : "||");
            case '!':
                if (start + 1 < _text.Length && _text[start + 1] == '=')
                    throw FilterErrors.Unexpected(_text, column, "'!='", "expected a term (a comparison needs a field before it, e.g. depth!=0)");
                if (start + 1 < _text.Length && _text[start + 1] == '>')
                    return ReadRelation(start, negated: true);
                _position++;
                return new FilterToken(FilterTokenKind.Not, column, "!");
            case '>':
                return ReadRelation(start, negated: false);
            case '"':
                {
                    string word = ReadQuoted(start, out int end);
                    if (word.Length == 0)
                        throw FilterErrors.At(_text, column, $"empty quotes at column {FilterErrors.Col(column)}; expected a word between them");
                    _position = end;
                    EnsureTermBoundary(end, "the quoted word");
                    return new FilterToken(FilterTokenKind.Word, column, _text[start..end]) { Value = word, ValueForm = FieldValueForm.Quoted };
                }
            case ':' or '=' or '<':
                throw FilterErrors.Unexpected(_text, column, FilterErrors.Quote(c), "expected a term (an operator needs a field before it, e.g. depth>3)");
        }

        int wordEnd = start;
        while (wordEnd < _text.Length && FilterSyntax.IsWordChar(_text[wordEnd]))
            wordEnd++;
        string text = _text[start..wordEnd];
        if (FilterSyntax.IsOperatorStart(_text, wordEnd))
            return ReadField(start, text, wordEnd);

        _position = wordEnd;
        if (FilterSyntax.TryGetKeyword(text, out FilterTokenKind keyword))
            return new FilterToken(keyword, column, text);
        EnsureTermBoundary(wordEnd, "the word");
        return new FilterToken(FilterTokenKind.Word, column, text) { Value = text, ValueForm = FieldValueForm.Bare };
    }

    /// <summary>Reads <c>&gt;</c>, <c>&gt;&gt;</c>, <c>!&gt;</c> or <c>!&gt;&gt;</c> at <paramref name="start"/>; a comparison operator there is refused.</summary>
    private FilterToken ReadRelation(int start, bool negated)
    {
        int column = start + 1;
        int i = start + (negated ? 1 : 0);
        int arrows = 0;
        while (i + arrows < _text.Length && _text[i + arrows] == '>')
            arrows++;
        int end = i + arrows;
        bool comparison = end < _text.Length && _text[end] == '=';
        if (comparison && !negated && arrows == 1)
        {
            throw FilterErrors.Unexpected(_text, column, "'>='",
                "expected a term (a comparison needs its field right before it, without a space, e.g. depth>=3)");
        }
        if (arrows > 2 || comparison || (end < _text.Length && _text[end] == '<'))
        {
            int stop = end;
            while (stop < _text.Length && _text[stop] is '>' or '<' or '=')
                stop++;
            throw FilterErrors.Unexpected(_text, column, "'" + _text[start..stop] + "'", "expected a span operator: " + FilterSyntax.RelationList);
        }
        _position = end;
        SpanRelation relation = (negated, arrows) switch
        {
            (false, 1) => SpanRelation.Child,
            (false, _) => SpanRelation.Descendant,
            (true, 1) => SpanRelation.NotChild,
            _ => SpanRelation.NotDescendant,
        };
        return new FilterToken(FilterTokenKind.Relation, column, _text[start..end]) { Relation = relation };
    }

    private FilterToken ReadField(int start, string name, int operatorStart)
    {
        if (!FilterSyntax.TryGetField(name, out FilterField field))
        {
            string hint = _text[operatorStart] == '>' && operatorStart + 1 < _text.Length && _text[operatorStart + 1] == '>'
                ? $" (or, for a span operator, put spaces around it: {FilterSyntax.RelationExample})"
                : "";
            throw FilterErrors.At(_text, start + 1,
                $"unknown field '{name}' at column {FilterErrors.Col(start + 1)}; expected one of {FilterSyntax.FieldList}{hint}");
        }

        (ComparisonOperator op, int length) = (_text[operatorStart], operatorStart + 1 < _text.Length ? _text[operatorStart + 1] : '\0') switch
        {
            (':', _) => (ComparisonOperator.Equal, 1),
            ('=', '=') => (ComparisonOperator.Equal, 2),
            ('=', _) => (ComparisonOperator.Equal, 1),
            ('!', _) => (ComparisonOperator.NotEqual, 2),
            ('<', '=') => (ComparisonOperator.LessOrEqual, 2),
            ('<', _) => (ComparisonOperator.Less, 1),
            ('>', '=') => (ComparisonOperator.GreaterOrEqual, 2),
            _ => (ComparisonOperator.Greater, 1),
        };

        int valueStart = operatorStart + length;
        string value;
        int end;
        FieldValueForm form;
        if (valueStart < _text.Length && _text[valueStart] == '"')
        {
            value = ReadQuoted(valueStart, out end);
            form = FieldValueForm.Quoted;
            EnsureTermBoundary(end, "the quoted value");
        }
        else if (valueStart < _text.Length && _text[valueStart] == '/' && field is FilterField.Function or FilterField.Module)
        {
            value = ReadRegex(valueStart, out end);
            form = FieldValueForm.Regex;
            EnsureTermBoundary(end, "the regex");
        }
        else
        {
            end = valueStart;
            while (!FilterSyntax.EndsBareValue(_text, end))
                end++;
            value = _text[valueStart..end];
            form = FieldValueForm.Bare;
            // An empty value is reported by the field's parser, after the operator has been checked.
            if (end > valueStart)
                EnsureTermBoundary(end, "the value");
        }

        _position = end;
        return new FilterToken(FilterTokenKind.Field, start + 1, _text[start..end])
        {
            Value = value,
            ValueForm = form,
            Field = field,
            FieldName = name,
            Operator = op,
            OperatorText = _text.Substring(operatorStart, length),
            OperatorColumn = operatorStart + 1,
            ValueColumn = valueStart + 1,
        };
    }

    /// <summary>Reads <c>"…"</c> starting at the quote; <c>\"</c> and <c>\\</c> are escapes, any other backslash is literal.</summary>
    private string ReadQuoted(int start, out int end)
    {
        var value = new StringBuilder();
        int i = start + 1;
        while (i < _text.Length)
        {
            char c = _text[i];
            if (c == '"')
            {
                end = i + 1;
                return value.ToString();
            }
            if (c == '\\' && i + 1 < _text.Length && _text[i + 1] is '"' or '\\')
            {
                value.Append(_text[i + 1]);
                i += 2;
                continue;
            }
            value.Append(c);
            i++;
        }
        throw FilterErrors.At(_text, start + 1, $"unterminated quote starting at column {FilterErrors.Col(start + 1)}");
    }

    /// <summary>Reads <c>/…/</c> starting at the slash; <c>\/</c> becomes <c>/</c>, every other escape is kept for the regex.</summary>
    private string ReadRegex(int start, out int end)
    {
        var pattern = new StringBuilder();
        int i = start + 1;
        while (i < _text.Length)
        {
            char c = _text[i];
            if (c == '/')
            {
                end = i + 1;
                return pattern.ToString();
            }
            if (c == '\\' && i + 1 < _text.Length)
            {
                if (_text[i + 1] != '/')
                    pattern.Append(c);
                pattern.Append(_text[i + 1]);
                i += 2;
                continue;
            }
            pattern.Append(c);
            i++;
        }
        throw FilterErrors.At(_text, start + 1, $"unterminated regex starting at column {FilterErrors.Col(start + 1)}; close it with '/' (write \\/ for a slash inside it)");
    }

    private void EnsureTermBoundary(int index, string what)
    {
        if (FilterSyntax.IsTermBoundary(_text, index))
            return;
        char c = _text[index];
        int column = index + 1;
        throw c switch
        {
            '&' or '|' => SingleSymbol(index),
            '(' => FilterErrors.Unexpected(_text, column, "'('",
                "put a space before '(', or quote a name that contains parentheses, e.g. fn:\"parse(int)\""),
            _ when what == "the regex" && char.IsLetter(c) => FilterErrors.Unexpected(_text, column, FilterErrors.Quote(c),
                "regex flags are not supported (matching is always case-insensitive); expected a space, ')' or the end after the regex"),
            _ => FilterErrors.Unexpected(_text, column, FilterErrors.Quote(c), $"expected a space, ')' or the end after {what}"),
        };
    }

    private FilterSyntaxException SingleSymbol(int index)
    {
        char c = _text[index];
        string hint = c == '&' ? "write 'and' (or '&&') between terms" : "write 'or' (or '||') between terms";
        return FilterErrors.Unexpected(_text, index + 1, FilterErrors.Quote(c), hint + ", or quote a name that contains it");
    }
}
