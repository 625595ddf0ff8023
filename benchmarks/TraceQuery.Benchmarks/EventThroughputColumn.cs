using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TraceQuery.Benchmarks;

/// <summary>Throughput in GB/s (10^9 bytes per second) of the session's event bytes (events × 32), from the mean time.</summary>
public sealed class EventThroughputColumn : IColumn
{
    /// <inheritdoc/>
    public string Id => nameof(EventThroughputColumn);

    /// <inheritdoc/>
    public string ColumnName => "Event GB/s";

    /// <inheritdoc/>
    public bool AlwaysShow => true;

    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;

    /// <inheritdoc/>
    public int PriorityInCategory => 0;

    /// <inheritdoc/>
    public bool IsNumeric => true;

    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;

    /// <inheritdoc/>
    public string Legend => $"Event bytes ({AtfBenchmarkSession.EventCount:N0} events × 32 B) divided by the mean time, in 10^9 bytes per second";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNs is not > 0)
            return "NA";
        // Bytes per nanosecond equals 10^9 bytes per second.
        return (AtfBenchmarkSession.EventBytes / meanNs.Value).ToString("N2", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public override string ToString() => ColumnName;
}
