namespace TraceQuery.Filtering;

/// <summary>A node of a parsed filter. <see cref="Column"/> is the 1-based column of the node's first character in the filter text.</summary>
public abstract record FilterNode
{
    /// <summary>1-based column of the node's first character in the filter text.</summary>
    public int Column { get; init; }
}
