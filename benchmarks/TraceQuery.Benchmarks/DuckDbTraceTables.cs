using DuckDB.NET.Data;
using TraceQuery.Model;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Loads a trace into an in-memory DuckDB database with the appender, for the baselines that run the same
/// question as SQL: <c>events(ts, fid, thread, kind, depth, detail)</c>, <c>functions(fid, name)</c> and
/// <c>spans(fid, dur)</c>. Loading is setup work and never timed.
/// </summary>
public static class DuckDbTraceTables
{
    /// <summary>Opens a fresh in-memory database (DuckDB picks its own thread count: one per core).</summary>
    public static DuckDBConnection OpenInMemory()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    }

    /// <summary>Creates and fills <c>events</c> (one row per event, in trace order) and <c>functions</c> (one row per distinct function).</summary>
    public static void LoadEvents(DuckDBConnection connection, ExecutionTrace trace)
    {
        Execute(connection, "CREATE TABLE events (ts BIGINT, fid UBIGINT, thread UINTEGER, kind UTINYINT, depth UINTEGER, detail UINTEGER)");
        using (var appender = connection.CreateAppender("events"))
        {
            var functionIds = trace.FunctionIds;
            foreach (var thread in trace.Threads)
            {
                var timestamps = trace.Timestamps.Slice(thread.Start, thread.Count);
                var ordinals = trace.FunctionOrdinals.Slice(thread.Start, thread.Count);
                var kinds = trace.Kinds.Slice(thread.Start, thread.Count);
                var depths = trace.Depths.Slice(thread.Start, thread.Count);
                var details = trace.DetailSeqs.Slice(thread.Start, thread.Count);
                for (int i = 0; i < thread.Count; i++)
                {
                    appender.CreateRow()
                        .AppendValue(timestamps[i])
                        .AppendValue(functionIds[ordinals[i]])
                        .AppendValue(thread.Id)
                        .AppendValue(kinds[i])
                        .AppendValue(depths[i])
                        .AppendValue(details[i])
                        .EndRow();
                }
            }
        }

        Execute(connection, "CREATE TABLE functions (fid UBIGINT, name VARCHAR)");
        using (var appender = connection.CreateAppender("functions"))
        {
            foreach (ulong id in trace.FunctionIds)
                appender.CreateRow().AppendValue(id).AppendValue(trace.Symbols.GetName(id)).EndRow();
        }
    }

    /// <summary>Creates and fills <c>spans(fid, dur)</c> from parallel arrays of function ids and durations (ns).</summary>
    public static void LoadSpans(DuckDBConnection connection, ReadOnlySpan<ulong> functionIds, ReadOnlySpan<long> durations)
    {
        Execute(connection, "CREATE TABLE spans (fid UBIGINT, dur BIGINT)");
        using var appender = connection.CreateAppender("spans");
        for (int s = 0; s < functionIds.Length; s++)
            appender.CreateRow().AppendValue(functionIds[s]).AppendValue(durations[s]).EndRow();
    }

    /// <summary>Runs a statement that returns no rows.</summary>
    public static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs a query whose single value is a count.</summary>
    public static long ExecuteCount(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
