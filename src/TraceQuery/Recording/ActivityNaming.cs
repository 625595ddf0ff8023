namespace TraceQuery.Recording;

/// <summary>Which name of an <see cref="System.Diagnostics.Activity"/> becomes its function name in a recording.</summary>
public enum ActivityNaming
{
    /// <summary>
    /// <see cref="System.Diagnostics.Activity.OperationName"/>: the name given to <c>StartActivity</c>, fixed for
    /// the activity's life and usually low-cardinality (the default).
    /// </summary>
    OperationName = 0,

    /// <summary>
    /// <see cref="System.Diagnostics.Activity.DisplayName"/> as it is when the activity stops (hosts such as
    /// ASP.NET Core set it to <c>GET /route</c> after the start). Can be high-cardinality; names beyond
    /// <see cref="TraceRecorderOptions.MaxFunctions"/> are folded.
    /// </summary>
    DisplayName = 1,
}
