namespace TraceQuery.Fuzz;

/// <summary>How a fuzz target treated one input, when TraceQuery kept its contract.</summary>
public enum FuzzOutcome
{
    /// <summary>The input was valid and fully processed.</summary>
    Accepted,

    /// <summary>The input was damaged; what could be read was read and the damage was reported.</summary>
    Recovered,

    /// <summary>The input was refused with the typed error the contract names (TraceFormatException, FilterSyntaxException, a JSON-RPC error).</summary>
    Rejected,
}
