using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace TraceQuery.Benchmarks;

/// <summary>
/// The share of <see cref="QueryEngineBenchmarks.Process"/> time spent inside the tokenizer, as measured by
/// <see cref="TimedTokenCounter"/> in the benchmark process (which writes it to a file the host reads here).
/// </summary>
public sealed class TokenizationShareColumn : IColumn
{
    /// <summary>Where each benchmark process leaves its measured share, one file per parameter set.</summary>
    public static string ShareFile(int eventCount, Generation.TraceAnomalies anomalies) =>
        Path.Combine(Path.GetTempPath(), "tracequery-bench", "token-share", string.Create(CultureInfo.InvariantCulture, $"{eventCount}-{anomalies}.txt"));

    /// <inheritdoc/>
    public string Id => nameof(TokenizationShareColumn);

    /// <inheritdoc/>
    public string ColumnName => "Tokenizer share";

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
    public string Legend => "Time inside TokenCounter (Stopwatch around every call) divided by the time of Process, over all its invocations";

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        if (benchmarkCase.Descriptor.WorkloadMethod.Name != nameof(QueryEngineBenchmarks.Process))
            return "-";
        if (benchmarkCase.Parameters[nameof(QueryEngineBenchmarks.EventCount)] is not int events
            || benchmarkCase.Parameters[nameof(QueryEngineBenchmarks.Anomalies)] is not Generation.TraceAnomalies anomalies)
            return "NA";
        string path = ShareFile(events, anomalies);
        if (!File.Exists(path)
            || !double.TryParse(File.ReadAllText(path).Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double share))
            return "NA";
        return share.ToString("P1", CultureInfo.InvariantCulture);
    }

    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;

    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    /// <inheritdoc/>
    public override string ToString() => ColumnName;
}
