using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using TraceQuery.Fleet;
using TraceQuery.Parquet;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Parquet;

/// <summary>The README's DuckDB query over the lake is run here, on a lake of <c>samples/</c>, and the README shows its output.</summary>
[TestClass]
public sealed class TraceLakeReadmeTests
{
    private const string Marker = "FROM read_parquet('lake/spans/**/*.parquet', hive_partitioning = true)";

    [TestMethod]
    public void Readme_DuckDbQuery_ThenRunsOnTheSampleLakeAndTheReadmeShowsItsOutput()
    {
        string readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        int at = readme.IndexOf(Marker, StringComparison.Ordinal);
        Assert.IsTrue(at > 0, "the README's DuckDB block is missing");
        int start = readme.LastIndexOf("```sql\n", at, StringComparison.Ordinal) + 7;
        int end = readme.IndexOf("\n```", at, StringComparison.Ordinal);
        string sql = readme[start..end];

        string lake = TestPaths.NewTempDirectory("readme-lake");
        TraceLakeExporter.ExportAsync(TraceSet.FromPath(Path.Combine(TestPaths.RepositoryRoot, "samples")), lake).GetAwaiter().GetResult();
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql.Replace("'lake/", "'" + lake.Replace('\\', '/') + "/", StringComparison.Ordinal);
        using var reader = command.ExecuteReader();
        var table = new StringBuilder();
        table.Append('|');
        for (int i = 0; i < reader.FieldCount; i++)
            table.Append(' ').Append(reader.GetName(i)).Append(" |");
        table.Append("\n|").Append(string.Concat(Enumerable.Repeat("---|", reader.FieldCount))).Append('\n');
        while (reader.Read())
        {
            table.Append('|');
            for (int i = 0; i < reader.FieldCount; i++)
                table.Append(' ').Append(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append(" |");
            table.Append('\n');
        }
        StringAssert.Contains(readme, table.ToString(), "The README should show the query's output:\n" + table);
    }
}
