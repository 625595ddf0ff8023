namespace TraceQuery.Generation;

/// <summary>Anomalies <see cref="TraceGenerator"/> can plant, each with a known culprit function.</summary>
[Flags]
public enum TraceAnomalies
{
    /// <summary>A clean trace.</summary>
    None = 0,

    /// <summary>
    /// A thread crashes: <c>parse_header</c> raises an EXCEPTION and the thread writes nothing more, leaving
    /// its open frames without RETURN.
    /// </summary>
    Crash = 1,

    /// <summary>One <c>hash_file</c> call takes a few hundred times its usual time.</summary>
    LatencyOutlier = 2,

    /// <summary>About a quarter of <c>buffer_alloc</c> calls have no matching <c>buffer_free</c>.</summary>
    Leak = 4,

    /// <summary>One <c>wait_for_lock</c> call blocks for seconds, far longer than the rest of the trace.</summary>
    Hang = 8,

    /// <summary><c>checksum_block</c> is called in tight loops and dominates call counts and self time.</summary>
    HotLoop = 16,

    /// <summary>Every anomaly above.</summary>
    All = Crash | LatencyOutlier | Leak | Hang | HotLoop,
}
