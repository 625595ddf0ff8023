using TraceQuery.Analysis;

namespace TraceQuery.Parquet;

/// <summary>How <see cref="TraceLakeExporter"/> writes a lake. Defaults suit DuckDB, ClickHouse and Spark scans.</summary>
public sealed record TraceLakeOptions
{
    /// <summary>Default options.</summary>
    public static TraceLakeOptions Default { get; } = new();

    /// <summary>
    /// Rows per row group (the unit engines scan in parallel and skip by statistics). Default 1,048,576: about 20 MB of
    /// uncompressed events, inside the 100K–1M-row range DuckDB favours and near Spark's 128 MB block after compression.
    /// Memory held while writing grows with it.
    /// </summary>
    public int RowGroupRows { get; init; } = 1 << 20;

    /// <summary>Write the <c>events</c> table (the largest by far). Default true.</summary>
    public bool IncludeEvents { get; init; } = true;

    /// <summary>The analysis behind <c>functions</c> and <c>findings</c>; null for the default thresholds.</summary>
    public Analyzer? Analyzer { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate() => ArgumentOutOfRangeException.ThrowIfLessThan(RowGroupRows, 1, nameof(RowGroupRows));
}
