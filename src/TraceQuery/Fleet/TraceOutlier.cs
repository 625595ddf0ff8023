namespace TraceQuery.Fleet;

/// <summary>What a <see cref="TraceOutlier"/> stands out in.</summary>
public enum OutlierMetric
{
    /// <summary>Far more EXCEPTION events than the set's median.</summary>
    Errors,

    /// <summary>Much longer than the set's median duration.</summary>
    LongDuration,

    /// <summary>Much shorter than the set's median duration (a run that stopped early).</summary>
    ShortDuration,
}

/// <summary>
/// A trace that stands out from the set. Errors: at least twice the median and at least 3 (and 3 scaled median absolute
/// deviations) above it. Durations: at least 1.5× (or at most half) the median and 3 scaled median absolute deviations
/// away. Needs 3 readable traces or more.
/// </summary>
/// <param name="Trace">The trace's name.</param>
/// <param name="Metric">What stands out.</param>
/// <param name="Value">Its value (errors, or nanoseconds).</param>
/// <param name="Median">The set's median of the same metric.</param>
public sealed record TraceOutlier(string Trace, OutlierMetric Metric, double Value, double Median);
