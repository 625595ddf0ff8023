using System.Globalization;
using DuckDB.NET.Data;
using TraceQuery.Analysis;
using TraceQuery.Cli;
using TraceQuery.Fleet;
using TraceQuery.Parquet;
using TraceQuery.Tests.Fleet;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Parquet;

/// <summary>
/// DuckDB, an engine of its own, reads the exported lake with hive partitioning and must agree with TraceQuery on every
/// trace of a folder (original-writer sessions, generated runs, a Chrome trace): events per trace, spans per function with
/// p50/p95/p99 and self time, the functions table, and the findings.
/// </summary>
[TestClass]
public sealed class TraceLakeDuckDbTests
{
    private static readonly Lazy<(TraceSet Set, string Lake, TraceLakeExport Export)> Exported = new(() =>
    {
        var set = TraceSet.FromPath(TraceFolders.MixedFolder);
        string lake = TestPaths.NewTempDirectory("lake");
        var export = TraceLakeExporter.ExportAsync(set, lake, new TraceLakeOptions { RowGroupRows = 4_096 }).GetAwaiter().GetResult();
        return (set, lake, export);
    });

    private static string Scan(string lake, string table) =>
        $"read_parquet('{Path.Combine(lake, table).Replace("'", "''", StringComparison.Ordinal)}/**/*.parquet', hive_partitioning = true)";

    private static List<object?[]> Query(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    [TestMethod]
    public void Export_MixedFolder_ThenEveryTraceWrittenUnderItsRelativeName()
    {
        var (set, _, export) = Exported.Value;
        CollectionAssert.AreEqual(
            new[] { "generated/all", "generated/clean", "generated/crash", "json/errors.json", "original/crash-at-stop", "original/finalized", "original/killed-while-tracing" },
            set.Entries.Select(e => e.Name).ToArray());
        Assert.AreEqual(0, export.Failures.Count);
        CollectionAssert.AreEqual(set.Entries.Select(e => e.Name).ToArray(), export.Traces.Select(t => t.Name).ToArray());
    }

    [TestMethod]
    public void DuckDb_EventsPerTrace_ThenAgreesWithTraceQuery()
    {
        var (set, lake, _) = Exported.Value;
        var rows = Query($"SELECT trace, count(*), count(DISTINCT thread), sum(CASE WHEN kind = 'exception' THEN 1 ELSE 0 END) FROM {Scan(lake, "events")} GROUP BY trace ORDER BY trace");
        Assert.AreEqual(set.Count, rows.Count);
        for (int i = 0; i < set.Count; i++)
        {
            using var trace = TraceSet.Open(set.Entries[i]);
            Assert.AreEqual(set.Entries[i].Name, rows[i][0]);
            Assert.AreEqual((long)trace.EventCount, Long(rows[i][1]), set.Entries[i].Name);
            Assert.AreEqual((long)trace.Threads.Count(t => t.Count > 0), Long(rows[i][2]), set.Entries[i].Name);
            long exceptions = 0;
            foreach (byte kind in trace.Kinds)
                exceptions += kind == 3 ? 1 : 0;
            Assert.AreEqual(exceptions, Long(rows[i][3]), set.Entries[i].Name);
        }
    }

    [TestMethod]
    public void DuckDb_SpanPercentilesPerFunction_ThenAgreeWithAnalyzer()
    {
        var (set, lake, _) = Exported.Value;
        var rows = Query(
            $"SELECT trace, function_id, function, count(*), quantile_cont(duration_ns, 0.5), quantile_cont(duration_ns, 0.95), quantile_cont(duration_ns, 0.99), sum(self_ns), sum(duration_ns) "
            + $"FROM {Scan(lake, "spans")} GROUP BY ALL ORDER BY trace, function_id");
        var expected = new List<(string Trace, FunctionStats Stats)>();
        var analyzer = new Analyzer();
        foreach (var entry in set.Entries)
        {
            using var trace = TraceSet.Open(entry);
            foreach (var f in analyzer.Analyze(trace).Functions)
                expected.Add((entry.Name, f));
        }
        Assert.IsTrue(expected.Count > 40, $"only {expected.Count} functions");
        Assert.AreEqual(expected.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var (name, f) = expected[i];
            string at = $"{name} {f.Name}";
            Assert.AreEqual(name, rows[i][0], at);
            Assert.AreEqual("0x" + f.FunctionId.ToString("x16", CultureInfo.InvariantCulture), rows[i][1], at);
            Assert.AreEqual(f.Name, rows[i][2], at);
            Assert.AreEqual(f.Count, Long(rows[i][3]), at + " count");
            AssertClose(f.P50Ns, Convert.ToDouble(rows[i][4], CultureInfo.InvariantCulture), at + " p50");
            AssertClose(f.P95Ns, Convert.ToDouble(rows[i][5], CultureInfo.InvariantCulture), at + " p95");
            AssertClose(f.P99Ns, Convert.ToDouble(rows[i][6], CultureInfo.InvariantCulture), at + " p99");
            Assert.AreEqual(f.SelfTotalNs, Long(rows[i][7]), at + " self");
            Assert.AreEqual(f.TotalNs, Long(rows[i][8]), at + " total");
        }
    }

    [TestMethod]
    public void DuckDb_FunctionsTable_ThenEqualsPercentilesDuckDbComputesFromSpans()
    {
        var (_, lake, _) = Exported.Value;
        var rows = Query(
            $"WITH s AS (SELECT trace, function_id, count(*) AS n, quantile_cont(duration_ns, 0.5) AS p50, quantile_cont(duration_ns, 0.95) AS p95, quantile_cont(duration_ns, 0.99) AS p99, min(duration_ns) AS lo, max(duration_ns) AS hi FROM {Scan(lake, "spans")} GROUP BY ALL) "
            + $"SELECT count(*), count(s.trace), sum(CASE WHEN f.count = s.n AND abs(f.p50_ns - s.p50) <= 1e-6 * greatest(1, s.p50) AND abs(f.p95_ns - s.p95) <= 1e-6 * greatest(1, s.p95) "
            + $"AND abs(f.p99_ns - s.p99) <= 1e-6 * greatest(1, s.p99) AND f.min_ns = s.lo AND f.max_ns = s.hi THEN 1 ELSE 0 END) "
            + $"FROM {Scan(lake, "functions")} f LEFT JOIN s ON f.trace = s.trace AND f.function_id = s.function_id");
        long functions = Long(rows[0][0]);
        Assert.IsTrue(functions > 40);
        Assert.AreEqual(functions, Long(rows[0][1]), "functions without spans");
        Assert.AreEqual(functions, Long(rows[0][2]), "functions whose statistics differ from DuckDB's");
    }

    [TestMethod]
    public void DuckDb_Findings_ThenSameKindsSeveritiesAndOrderAsAnalyzer()
    {
        var (set, lake, _) = Exported.Value;
        var rows = Query($"SELECT trace, string_agg(severity || ':' || kind || ':' || coalesce(function, '-'), ',' ORDER BY rank), count(*) FROM {Scan(lake, "findings")} GROUP BY trace ORDER BY trace");
        var byTrace = rows.ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        var analyzer = new Analyzer();
        int withFindings = 0;
        foreach (var entry in set.Entries)
        {
            using var trace = TraceSet.Open(entry);
            var findings = analyzer.Analyze(trace).Findings;
            string expected = string.Join(',', findings.Select(f => $"{AnswerWords.Of(f.Severity)}:{AnswerWords.Of(f.Kind)}:{(f.FunctionId is { } id ? trace.Symbols.GetName(id) : "-")}"));
            if (findings.Count == 0)
            {
                Assert.IsFalse(byTrace.ContainsKey(entry.Name), entry.Name);
                continue;
            }
            withFindings++;
            Assert.AreEqual(expected, byTrace[entry.Name], entry.Name);
        }
        Assert.IsTrue(withFindings >= 3, "the planted anomalies should give findings");
        Assert.IsTrue(byTrace["generated/crash"].StartsWith("critical:crash:", StringComparison.Ordinal), byTrace["generated/crash"]);
    }

    [TestMethod]
    public void DuckDb_PartitionValue_ThenEqualsTraceColumnAndNamesAreUnescaped()
    {
        var (_, lake, _) = Exported.Value;
        Assert.IsTrue(Directory.Exists(Path.Combine(lake, "spans", "trace=generated%2Fcrash")));
        // Without hive partitioning, the trace column inside each file says the same as its directory.
        var rows = Query($"SELECT DISTINCT trace FROM read_parquet('{Path.Combine(lake, "spans")}/**/*.parquet') ORDER BY trace");
        CollectionAssert.Contains(rows.Select(r => r[0]).ToList(), "generated/crash");
        var events = Query($"SELECT count(*) FROM {Scan(lake, "events")} WHERE trace = 'original/finalized' AND message IS NULL");
        Assert.IsTrue(Long(events[0][0]) > 0);
        var messages = Query($"SELECT count(*) FROM {Scan(lake, "events")} WHERE trace = 'json/errors.json' AND kind = 'exception' AND message IS NOT NULL");
        Assert.IsTrue(Long(messages[0][0]) > 0, "Chrome error messages travel with their events");
    }

    [TestMethod]
    public void Export_Twice_ThenByteIdenticalFiles()
    {
        var (set, lake, _) = Exported.Value;
        string again = TestPaths.NewTempDirectory("lake-again");
        TraceLakeExporter.ExportAsync(set, again, new TraceLakeOptions { RowGroupRows = 4_096 }).GetAwaiter().GetResult();
        var first = Directory.GetFiles(lake, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(lake, f)).Order(StringComparer.Ordinal).ToList();
        var second = Directory.GetFiles(again, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(again, f)).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(first, second);
        Assert.AreEqual(set.Count * TraceLakeSchema.Tables.Count, first.Count);
        foreach (string file in first)
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(lake, file)), File.ReadAllBytes(Path.Combine(again, file)), file);
    }

    [TestMethod]
    public void Cli_Export_ThenWritesLakeAndCountsWhatItWrote()
    {
        string lake = TestPaths.NewTempDirectory("lake-cli");
        string folder = Path.Combine(TraceFolders.MixedFolder, "generated");
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(["export", folder, "--to", lake, "--no-events"], output, error);
        Assert.AreEqual(0, exit, error.ToString());
        StringAssert.StartsWith(output.ToString(), "exported 3 of 3 traces to " + lake + ": 0 events, ");
        Assert.IsFalse(Directory.Exists(Path.Combine(lake, "events")));
        var rows = Query($"SELECT count(DISTINCT trace) FROM {Scan(lake, "spans")}");
        Assert.AreEqual(3L, Long(rows[0][0]));
    }

    [TestMethod]
    public void Cli_ExportNotATrace_ThenExitOneNamingThePath()
    {
        string empty = TestPaths.NewTempDirectory("lake-empty");
        var error = new StringWriter();
        int exit = CliApp.Run(["export", empty, "--to", Path.Combine(empty, "lake")], new StringWriter(), error);
        Assert.AreEqual(1, exit);
        StringAssert.Contains(error.ToString(), "holds no traces");
    }

    private static long Long(object? value) =>
        value is System.Numerics.BigInteger big ? (long)big : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static void AssertClose(double expected, double actual, string message) =>
        Assert.AreEqual(expected, actual, Math.Max(1e-6, Math.Abs(expected) * 1e-9), message);
}
