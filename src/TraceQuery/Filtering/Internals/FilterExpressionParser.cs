using System.Globalization;

namespace TraceQuery.Filtering.Internals;

/// <summary>
/// Recursive descent over <see cref="FilterLexer"/> tokens:
/// <code>
/// filter  := ε | span
/// span    := or ((">" | ">>" | "!>" | "!>>") or)*     span operators bind loosest
/// or      := and (("or" | "||") and)*
/// and     := unary (("and" | "&amp;&amp;")? unary)*      juxtaposition means and
/// unary   := ("not" | "!") unary | primary
/// primary := "(" span ")" | word | field-term
/// </code>
/// Binary operators are left-associative. Each node's column is that of the first token it consumed.
/// Parentheses and <c>not</c> each add a nesting level; more than <see cref="FilterParser.MaxNesting"/> is refused,
/// which also bounds the recursion.
/// </summary>
internal sealed class FilterExpressionParser
{
    private readonly string _filter;
    private readonly FilterLexer _lexer;
    private readonly HashSet<string> _validRegexes = new(StringComparer.Ordinal);
    private FilterToken _current;
    private FilterToken _previous;
    private int _nesting;

    public FilterExpressionParser(string filter)
    {
        _filter = filter;
        _lexer = new FilterLexer(filter);
    }

    /// <summary>Parses the whole filter; empty or whitespace-only text is <see cref="AllNode"/>.</summary>
    public FilterNode ParseFilter()
    {
        if (_filter.Length > FilterParser.MaxFilterLength)
        {
            int column = FilterParser.MaxFilterLength + 1;
            throw FilterErrors.At(_filter, column,
                $"filter is too long: {_filter.Length.ToString(CultureInfo.InvariantCulture)} characters, more than the limit of {FilterParser.MaxFilterLength.ToString(CultureInfo.InvariantCulture)} (column {FilterErrors.Col(column)} is past it); shorten or split the filter");
        }

        Advance();
        if (_current.Kind == FilterTokenKind.End)
            return new AllNode { Column = 1 };
        FilterNode node = ParseSpan();
        if (_current.Kind != FilterTokenKind.End)
        {
            // Only ')' can stop the loops above before the end: every term start is taken by juxtaposition.
            throw FilterErrors.Unexpected(_filter, _current.Column, Describe(_current), "there is no '(' for it to close");
        }
        return node;
    }

    private void Advance()
    {
        _previous = _current;
        _current = _lexer.Next();
    }

    private FilterNode ParseSpan()
    {
        int column = _current.Column;
        FilterNode left = ParseOr();
        while (_current.Kind == FilterTokenKind.Relation)
        {
            FilterToken op = _current;
            if (op.Relation == SpanRelation.Child && _previous.Kind == FilterTokenKind.Word && _previous.ValueForm == FieldValueForm.Bare
                && FilterSyntax.TryGetField(_previous.Value, out FilterField field))
            {
                string word = _previous.Value;
                string? example = field switch
                {
                    FilterField.Depth => "depth>3",
                    FilterField.Time => "time>1ms",
                    FilterField.Duration => "duration>10ms",
                    FilterField.SpanDuration => "dur>10ms",
                    FilterField.SelfTime => "self>1ms",
                    _ => null,
                };
                string compare = example is null ? "" : $"to compare, write it without spaces, e.g. {example}; ";
                throw FilterErrors.At(_filter, _previous.Column,
                    $"'{word} >' at column {FilterErrors.Col(_previous.Column)} would select spans whose parent's function or module name contains '{word}'; {compare}to mean that word, quote it: \"{word}\" > …");
            }
            Advance();
            if (_current.Kind is FilterTokenKind.End or FilterTokenKind.RightParen or FilterTokenKind.Relation or FilterTokenKind.And or FilterTokenKind.Or)
            {
                throw FilterErrors.Unexpected(_filter, _current.Column, Describe(_current),
                    $"expected a term after '{op.Text}' at column {FilterErrors.Col(op.Column)} (a span operator needs a span condition on each side, e.g. {FilterSyntax.RelationExample})");
            }
            left = new SpanRelationNode(op.Relation, left, ParseOr()) { Column = column };
        }
        return left;
    }

    private FilterNode ParseOr()
    {
        int column = _current.Column;
        FilterNode left = ParseAnd();
        while (_current.Kind == FilterTokenKind.Or)
        {
            Advance();
            left = new OrNode(left, ParseAnd()) { Column = column };
        }
        return left;
    }

    private FilterNode ParseAnd()
    {
        int column = _current.Column;
        FilterNode left = ParseUnary();
        while (true)
        {
            if (_current.Kind == FilterTokenKind.And)
                Advance();
            else if (_current.Kind is not (FilterTokenKind.Word or FilterTokenKind.Field or FilterTokenKind.LeftParen or FilterTokenKind.Not))
                return left;
            left = new AndNode(left, ParseUnary()) { Column = column };
        }
    }

    private FilterNode ParseUnary()
    {
        if (_current.Kind != FilterTokenKind.Not)
            return ParsePrimary();
        int column = _current.Column;
        Enter(column);
        Advance();
        FilterNode operand = ParseUnary();
        _nesting--;
        return new NotNode(operand) { Column = column };
    }

    private FilterNode ParsePrimary()
    {
        FilterToken token = _current;
        switch (token.Kind)
        {
            case FilterTokenKind.Word:
                Advance();
                return new WordTerm(token.Value, FilterSyntax.IsExceptionWord(token.Value)) { Column = token.Column };
            case FilterTokenKind.Field:
                Advance();
                return FieldTermParser.Parse(_filter, token, _validRegexes);
            case FilterTokenKind.LeftParen:
                {
                    Enter(token.Column);
                    Advance();
                    FilterNode inner = ParseSpan();
                    if (_current.Kind != FilterTokenKind.RightParen)
                        throw FilterErrors.At(_filter, token.Column, $"missing ')' for '(' at column {FilterErrors.Col(token.Column)}");
                    Advance();
                    _nesting--;
                    return inner;
                }
            case FilterTokenKind.Relation:
                throw FilterErrors.Unexpected(_filter, token.Column, Describe(token),
                    $"expected a term (a span operator needs a span condition on each side, e.g. {FilterSyntax.RelationExample})");
            default:
                throw FilterErrors.Unexpected(_filter, token.Column, Describe(token), "expected a term");
        }
    }

    private void Enter(int column)
    {
        if (++_nesting > FilterParser.MaxNesting)
        {
            throw FilterErrors.At(_filter, column,
                $"nesting deeper than {FilterParser.MaxNesting.ToString(CultureInfo.InvariantCulture)} levels at column {FilterErrors.Col(column)} (each '(' and 'not' is a level); simplify the filter");
        }
    }

    private static string Describe(in FilterToken token) =>
        token.Kind == FilterTokenKind.End ? "end of filter" : "'" + token.Text + "'";
}
