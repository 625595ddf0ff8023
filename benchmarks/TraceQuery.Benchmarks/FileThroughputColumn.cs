using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TraceQuery.Benchmarks;

/// <summary>
/// File size divided by the mean time, in MB/s (10^6 bytes per second), for benchmarks that each read one file;
/// <paramref name="fileBytes"/> says how many bytes a case reads.
/// </summary>
internal sealed class FileThroughputColumn(Func<BenchmarkCase, long> fileBytes) : IColumn
{
    public string Id => nameof(FileThroughputColumn);
    public string ColumnName => "MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "File bytes divided by the mean time, in 10^6 bytes per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNs is not > 0)
            return "NA";
        return (fileBytes(benchmarkCase) * 1000.0 / meanNs.Value).ToString("N1", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public override string ToString() => ColumnName;
}
