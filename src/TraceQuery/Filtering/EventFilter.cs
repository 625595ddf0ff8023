using TraceQuery.Filtering.Internals;
using TraceQuery.Model;

namespace TraceQuery.Filtering;

/// <summary>
/// A parsed filter, ready to evaluate against any trace: <c>EventFilter.Parse("kind:exception").Evaluate(trace)</c>.
/// Evaluation compiles the filter against the trace's columns (names resolved once per distinct function)
/// and scans the columns with <c>Vector256</c> compares into a <see cref="Selection"/> bitmap, chunk by
/// chunk and in parallel for large traces. Immutable and thread-safe.
/// </summary>
public sealed class EventFilter
{
    private EventFilter(string text, FilterNode root)
    {
        Text = text;
        Root = root;
    }

    /// <summary>The filter that selects every event.</summary>
    public static EventFilter All { get; } = new("", new AllNode());

    /// <summary>The filter text as given.</summary>
    public string Text { get; }

    /// <summary>The parsed filter.</summary>
    public FilterNode Root { get; }

    /// <summary>Parses filter text (grammar in the README): <c>error</c>, <c>kind:exception thread:3</c>, <c>fn:parse_* and duration&gt;10ms</c>.</summary>
    /// <exception cref="FilterSyntaxException">The text is not a valid filter; the message names the column and what was expected.</exception>
    public static EventFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new EventFilter(text, FilterParser.Parse(text));
    }

    /// <summary>The filter in canonical form (explicit <c>and</c>, parentheses showing the grouping), for echoing back to agents.</summary>
    public string Canonical => FilterParser.Format(Root);

    /// <summary>Wraps an already-built filter tree.</summary>
    public static EventFilter FromNode(FilterNode root, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        return new EventFilter(text ?? "", root);
    }

    /// <summary>Selects the events of <paramref name="trace"/> that match. O(events) column scans; allocates one bitmap (1 bit per event), or only a list of indices when few events can match.</summary>
    /// <exception cref="FilterSyntaxException">A regex timed out on a function name.</exception>
    public Selection Evaluate(ExecutionTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var plan = FilterCompiler.Compile(Root, trace);
        return FilterPlan.Select(plan, trace);
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
