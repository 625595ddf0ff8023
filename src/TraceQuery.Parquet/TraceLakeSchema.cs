using Parquet.Schema;

namespace TraceQuery.Parquet;

/// <summary>
/// The lake's tables and their columns, exactly as written: <c>&lt;lake&gt;/&lt;table&gt;/trace=&lt;name&gt;/part-0.parquet</c>.
/// Every file also holds the <c>trace</c> column, so a file read on its own still says which trace it is; with hive
/// partitioning the directory gives the same value. Times are nanoseconds (<c>int64</c>); unsigned ids of the model
/// (thread, sequence, depth) are widened to <c>int64</c> so engines without unsigned types read them as they are;
/// function ids are the 16-hex-digit text answers print after <c>fn:</c> (<c>0x05e4df9100000006</c>).
/// </summary>
public static class TraceLakeSchema
{
    /// <summary>Table of every event: one row per event, ordered by thread then sequence.</summary>
    public const string Events = "events";

    /// <summary>Table of every call span: one row per span, ordered by <c>span_id</c>.</summary>
    public const string Spans = "spans";

    /// <summary>Table of per-function statistics (what <c>top</c> ranks): one row per function, ordered by function id.</summary>
    public const string Functions = "functions";

    /// <summary>Table of findings (crash, hang, …): one row per finding, ordered by <c>rank</c>.</summary>
    public const string Findings = "findings";

    /// <summary>The four tables, in the order they are written.</summary>
    public static IReadOnlyList<string> Tables { get; } = [Events, Spans, Functions, Findings];

    /// <summary>
    /// <c>events</c>: <c>trace</c> string, <c>thread</c> int64, <c>seq</c> int64 (the event's sequence number on its
    /// thread: <c>event:&lt;thread&gt;:&lt;seq&gt;</c>), <c>ts_ns</c> int64, <c>kind</c> string (<c>call</c>, <c>return</c>,
    /// <c>exception</c>), <c>function</c> string, <c>module</c> string, <c>depth</c> int64 (1 = outermost), <c>span_id</c>
    /// int64 null (the span the event opens, closes or is raised in; null for an exception outside any frame),
    /// <c>function_id</c> string, <c>thread_name</c> string null, <c>message</c> string null (exception text, log body),
    /// <c>detail_seq</c> int64 null (the linked detail record).
    /// </summary>
    public static ParquetSchema EventsSchema { get; } = new(
        new DataField<string>("trace", nullable: false),
        new DataField<long>("thread"),
        new DataField<long>("seq"),
        new DataField<long>("ts_ns"),
        new DataField<string>("kind", nullable: false),
        new DataField<string>("function", nullable: false),
        new DataField<string>("module", nullable: false),
        new DataField<long>("depth"),
        new DataField<long?>("span_id"),
        new DataField<string>("function_id", nullable: false),
        new DataField<string>("thread_name", nullable: true),
        new DataField<string>("message", nullable: true),
        new DataField<long?>("detail_seq"));

    /// <summary>
    /// <c>spans</c>: <c>trace</c> string, <c>span_id</c> int64 (<c>span:&lt;id&gt;</c>), <c>parent_id</c> int64 null (null for a
    /// root frame), <c>thread</c> int64, <c>function</c> string, <c>module</c> string, <c>start_ns</c> int64,
    /// <c>duration_ns</c> int64, <c>self_ns</c> int64 (duration minus direct children), <c>depth</c> int64, <c>status</c>
    /// string (<c>complete</c>, <c>unmatched</c>, <c>unwound</c>, <c>orphan</c>), <c>function_id</c> string, <c>end_ns</c> int64
    /// (the thread's last timestamp while still open), <c>start_seq</c> int64 and <c>end_seq</c> int64 null (sequence numbers
    /// of the opening and closing events on <c>thread</c>), <c>raised_exception</c> boolean.
    /// </summary>
    public static ParquetSchema SpansSchema { get; } = new(
        new DataField<string>("trace", nullable: false),
        new DataField<long>("span_id"),
        new DataField<long?>("parent_id"),
        new DataField<long>("thread"),
        new DataField<string>("function", nullable: false),
        new DataField<string>("module", nullable: false),
        new DataField<long>("start_ns"),
        new DataField<long>("duration_ns"),
        new DataField<long>("self_ns"),
        new DataField<long>("depth"),
        new DataField<string>("status", nullable: false),
        new DataField<string>("function_id", nullable: false),
        new DataField<long>("end_ns"),
        new DataField<long>("start_seq"),
        new DataField<long?>("end_seq"),
        new DataField<bool>("raised_exception"));

    /// <summary>
    /// <c>functions</c>: <c>trace</c> string, <c>function</c> string, <c>module</c> string, <c>count</c> int64 (spans),
    /// <c>total_ns</c> int64, <c>self_ns</c> int64, <c>min_ns</c> int64, <c>max_ns</c> int64, <c>p50_ns</c>, <c>p95_ns</c>,
    /// <c>p99_ns</c> double (exact, linear interpolation between closest ranks: DuckDB's <c>quantile_cont</c>),
    /// <c>function_id</c> string, <c>mean_ns</c> double, <c>incomplete</c> int64 (spans not closed by their own RETURN).
    /// </summary>
    public static ParquetSchema FunctionsSchema { get; } = new(
        new DataField<string>("trace", nullable: false),
        new DataField<string>("function", nullable: false),
        new DataField<string>("module", nullable: false),
        new DataField<long>("count"),
        new DataField<long>("total_ns"),
        new DataField<long>("self_ns"),
        new DataField<long>("min_ns"),
        new DataField<long>("max_ns"),
        new DataField<double>("p50_ns"),
        new DataField<double>("p95_ns"),
        new DataField<double>("p99_ns"),
        new DataField<string>("function_id", nullable: false),
        new DataField<double>("mean_ns"),
        new DataField<long>("incomplete"));

    /// <summary>
    /// <c>findings</c>: <c>trace</c> string, <c>rank</c> int32 (1 = first in the summary), <c>severity</c> string
    /// (<c>critical</c>, <c>high</c>, <c>medium</c>, <c>low</c>, <c>info</c>), <c>kind</c> string (<c>crash</c>,
    /// <c>exception</c>, <c>hang</c>, <c>latency_outlier</c>, <c>leak_imbalance</c>, <c>unmatched_spans</c>, <c>hot_spot</c>, <c>latency_stage</c>),
    /// <c>function</c> string null, <c>title</c> string, <c>evidence</c> string (references separated by spaces, strongest
    /// first: <c>event:1:3001 span:42</c>), <c>function_id</c> string null, <c>rationale</c> string, <c>score</c> double.
    /// </summary>
    public static ParquetSchema FindingsSchema { get; } = new(
        new DataField<string>("trace", nullable: false),
        new DataField<int>("rank"),
        new DataField<string>("severity", nullable: false),
        new DataField<string>("kind", nullable: false),
        new DataField<string>("function", nullable: true),
        new DataField<string>("title", nullable: false),
        new DataField<string>("evidence", nullable: false),
        new DataField<string>("function_id", nullable: true),
        new DataField<string>("rationale", nullable: false),
        new DataField<double>("score"));

    /// <summary>The schema of <paramref name="table"/>.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Tables"/>.</exception>
    public static ParquetSchema Of(string table) => table switch
    {
        Events => EventsSchema,
        Spans => SpansSchema,
        Functions => FunctionsSchema,
        Findings => FindingsSchema,
        _ => throw new ArgumentException($"Unknown table '{table}'; the lake has {string.Join(", ", Tables)}.", nameof(table)),
    };
}
