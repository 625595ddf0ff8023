namespace TraceQuery.Fleet;

/// <summary>What a <see cref="MetricChange"/> compares between two runs of one function.</summary>
public enum DiffMetric
{
    /// <summary>Number of calls (spans).</summary>
    Count,

    /// <summary>Median call duration.</summary>
    P50,

    /// <summary>95th percentile call duration.</summary>
    P95,

    /// <summary>Total self time (durations minus direct children), all calls together.</summary>
    Self,
}
