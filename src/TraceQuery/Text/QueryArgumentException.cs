namespace TraceQuery.Text;

/// <summary>
/// A query argument is wrong (an anchor that does not exist, a malformed cursor, an unknown model, a limit below one,
/// a budget below the answer's minimum). <see cref="Parameter"/> names the argument as the protocol spells it
/// (<c>anchor</c>, <c>cursor</c>, <c>token_budget</c>), so a server maps it to an invalid-params error without
/// guessing; <see cref="Reason"/> is the message without the parameter suffix.
/// </summary>
public class QueryArgumentException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="parameter"/> with <paramref name="reason"/> (a sentence saying what to do).</summary>
    public QueryArgumentException(string parameter, string reason)
        : base(reason, parameter)
    {
        Parameter = parameter;
        Reason = reason;
    }

    /// <summary>The argument's protocol name in snake_case.</summary>
    public string Parameter { get; }

    /// <summary>What is wrong and what to do, without the <c>(Parameter '…')</c> suffix of <see cref="ArgumentException.Message"/>.</summary>
    public string Reason { get; }
}
