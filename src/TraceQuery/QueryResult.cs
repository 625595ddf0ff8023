using TraceQuery.Analysis;

namespace TraceQuery;

/// <summary>The answer to one query: text that fits the budget, and the data behind it.</summary>
/// <param name="Summary">The text handed to the model.</param>
/// <param name="TokenCount">Tokens of <paramref name="Summary"/> by <paramref name="Model"/>'s tokenizer; never above <paramref name="TokenBudget"/>.</param>
/// <param name="TokenBudget">The budget asked for.</param>
/// <param name="Model">The model whose tokenizer counted.</param>
/// <param name="EventsProcessed">Events in the trace.</param>
/// <param name="EventsMatched">Events the filter selected (all events without a filter).</param>
/// <param name="Findings">All findings of the analysis, ranked (the summary shows what fits).</param>
/// <param name="DidTruncate">True when material was left out; <paramref name="NextCursor"/> continues.</param>
/// <param name="NextCursor">Opaque cursor for the next page, or null on the last page.</param>
/// <param name="Elapsed">Wall time spent on the query.</param>
public sealed record QueryResult(
    string Summary,
    int TokenCount,
    int TokenBudget,
    string Model,
    int EventsProcessed,
    int EventsMatched,
    IReadOnlyList<Finding> Findings,
    bool DidTruncate,
    string? NextCursor,
    TimeSpan Elapsed);
