namespace TraceQuery.Summaries;

/// <summary>
/// The token budget is below the least an answer needs (its headline and truncation notice); <see cref="Minimum"/>
/// says how many tokens to ask for instead.
/// </summary>
public sealed class TokenBudgetException : ArgumentOutOfRangeException
{
    /// <summary>Creates the exception for a <paramref name="budget"/> below <paramref name="minimum"/>.</summary>
    public TokenBudgetException(int budget, int minimum, string message)
        : base("tokenBudget", budget, message)
    {
        Budget = budget;
        Minimum = minimum;
        Reason = message;
    }

    /// <summary>What is wrong and how many tokens to ask for, without the parameter and value lines of <see cref="ArgumentOutOfRangeException.Message"/>.</summary>
    public string Reason { get; }

    /// <summary>The budget asked for.</summary>
    public int Budget { get; }

    /// <summary>The least budget this answer needs.</summary>
    public int Minimum { get; }
}
