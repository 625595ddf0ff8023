using Parquet;
using TraceQuery.Analysis;
using TraceQuery.Fleet;
using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.Parquet.Internals;

namespace TraceQuery.Parquet;

/// <summary>
/// Writes traces as a hive-partitioned Parquet lake that scale-out engines (DuckDB, ClickHouse, Spark, Trino) read:
/// <c>&lt;lake&gt;/&lt;table&gt;/trace=&lt;name&gt;/part-0.parquet</c> for the tables of <see cref="TraceLakeSchema"/>. A set is
/// exported one trace at a time, so memory is bounded by the largest trace (plus one row group per table being
/// written), not by the set. Re-exporting a trace replaces its partitions; other traces' partitions are left as they
/// are. Output is deterministic: the same trace gives byte-identical files.
/// </summary>
public static class TraceLakeExporter
{
    /// <summary>The file name of each partition's data.</summary>
    public const string PartFileName = "part-0.parquet";

    /// <summary>
    /// Exports every trace of <paramref name="set"/> into the lake at <paramref name="destination"/> (created when
    /// missing), in the set's order. A trace that cannot be read is listed in <see cref="TraceLakeExport.Failures"/> and
    /// skipped; the others are still written.
    /// </summary>
    /// <param name="set">The traces; each <see cref="TraceSetEntry.Name"/> becomes its <c>trace</c> value.</param>
    /// <param name="destination">The lake's folder.</param>
    /// <param name="options">Row group size, tables, analysis; null for the defaults.</param>
    /// <param name="progress">Told after each trace is written.</param>
    /// <param name="cancellationToken">Checked between traces and row groups.</param>
    public static async Task<TraceLakeExport> ExportAsync(TraceSet set, string destination, TraceLakeOptions? options = null,
        IProgress<TraceLakeTrace>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        options ??= TraceLakeOptions.Default;
        options.Validate();
        var written = new List<TraceLakeTrace>(set.Count);
        var failures = new List<TraceLakeFailure>();
        long bytesRead = 0;
        foreach (var entry in set.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ExecutionTrace trace;
            try
            {
                trace = TraceSet.Open(entry);
            }
            catch (Exception e) when (e is TraceFormatException or IOException or UnauthorizedAccessException)
            {
                failures.Add(new TraceLakeFailure(entry.Name, e.Message));
                continue;
            }
            using (trace)
            {
                var result = await ExportTraceAsync(trace, entry.Name, destination, options, cancellationToken).ConfigureAwait(false);
                written.Add(result);
                bytesRead += entry.Bytes;
                progress?.Report(result);
            }
        }
        return new TraceLakeExport(Path.GetFullPath(destination), written, failures, bytesRead);
    }

    /// <summary>
    /// Exports one loaded trace under <paramref name="name"/> (its <c>trace</c> value and partition), replacing that
    /// trace's earlier partitions. O(events + spans) plus one analysis.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public static async Task<TraceLakeTrace> ExportTraceAsync(ExecutionTrace trace, string name, string destination,
        TraceLakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        options ??= TraceLakeOptions.Default;
        options.Validate();
        var analysis = (options.Analyzer ?? new Analyzer()).Analyze(trace, null, cancellationToken);
        var names = new FunctionNames(trace);
        long bytes = 0;
        long events = 0;
        if (options.IncludeEvents)
        {
            bytes += await WriteTableAsync(destination, TraceLakeSchema.Events, name, trace.EventCount, options.RowGroupRows,
                (group, from, count) => LakeRows.WriteEventsAsync(group, trace, names, name, from, count, cancellationToken), cancellationToken).ConfigureAwait(false);
            events = trace.EventCount;
        }
        else
        {
            DeletePartition(destination, TraceLakeSchema.Events, name);
        }
        var spans = trace.Spans;
        var durations = new long[spans.Count];
        var selfTimes = new long[spans.Count];
        spans.GetDurations(durations);
        spans.GetSelfTimes(durations, selfTimes);
        bytes += await WriteTableAsync(destination, TraceLakeSchema.Spans, name, spans.Count, options.RowGroupRows,
            (group, from, count) => LakeRows.WriteSpansAsync(group, trace, names, name, durations, selfTimes, from, count, cancellationToken), cancellationToken).ConfigureAwait(false);
        bytes += await WriteTableAsync(destination, TraceLakeSchema.Functions, name, analysis.Functions.Count, options.RowGroupRows,
            (group, from, count) => LakeRows.WriteFunctionsAsync(group, analysis.Functions, name, from, count, cancellationToken), cancellationToken).ConfigureAwait(false);
        bytes += await WriteTableAsync(destination, TraceLakeSchema.Findings, name, analysis.Findings.Count, options.RowGroupRows,
            (group, from, count) => LakeRows.WriteFindingsAsync(group, trace, analysis.Findings, name, from, count, cancellationToken), cancellationToken).ConfigureAwait(false);
        return new TraceLakeTrace(name, events, spans.Count, analysis.Functions.Count, analysis.Findings.Count, bytes);
    }

    /// <summary>The directory that holds <paramref name="table"/>'s partition for the trace named <paramref name="name"/>.</summary>
    public static string PartitionDirectory(string destination, string table, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        TraceLakeSchema.Of(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Path.Combine(destination, table, PartitionPath.Directory(name));
    }

    private static void DeletePartition(string destination, string table, string name)
    {
        string directory = PartitionDirectory(destination, table, name);
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    private static async Task<long> WriteTableAsync(string destination, string table, string name, int rows, int rowGroupRows,
        Func<ParquetRowGroupWriter, int, int, Task> writeGroup, CancellationToken cancellationToken)
    {
        string directory = PartitionDirectory(destination, table, name);
        Directory.CreateDirectory(directory);
        foreach (string old in Directory.GetFiles(directory, "part-*.parquet"))
            File.Delete(old);
        string final = Path.Combine(directory, PartFileName);
        string temporary = final + ".tmp";
        var parquetOptions = new ParquetOptions
        {
            CompressionMethod = CompressionMethod.Snappy,
            // The stream pool otherwise keeps every buffer it ever made: bound what it holds between row groups.
            MaximumSmallPoolFreeBytes = 16 << 20,
            MaximumLargePoolFreeBytes = 64 << 20,
        };
        // Times, sequence numbers and ids grow steadily row to row: delta encoding stores them in a few bits each.
        foreach (var field in TraceLakeSchema.Of(table).DataFields)
        {
            if (field.ClrType == typeof(long))
                parquetOptions.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.DeltaBinaryPacked;
        }
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        await using (stream.ConfigureAwait(false))
        {
            var writer = await ParquetWriter.CreateAsync(TraceLakeSchema.Of(table), stream, parquetOptions, append: false, cancellationToken).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                for (int from = 0; from < rows; from += rowGroupRows)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    using var group = writer.CreateRowGroup();
                    await writeGroup(group, from, Math.Min(rowGroupRows, rows - from)).ConfigureAwait(false);
                    group.CompleteValidate();
                }
            }
        }
        File.Move(temporary, final, overwrite: true);
        return new FileInfo(final).Length;
    }
}
