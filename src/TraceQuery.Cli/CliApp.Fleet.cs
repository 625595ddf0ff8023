using System.CommandLine;
using TraceQuery.Fleet;
using TraceQuery.Parquet;
using TraceQuery.Text;

namespace TraceQuery.Cli;

/// <summary>The commands over many traces: <c>export</c> (a Parquet lake), <c>fleet</c> (one answer over a folder) and <c>diff</c> (two runs).</summary>
internal static partial class CliApp
{
    /// <summary>Adds <c>export</c>, <c>fleet</c> and <c>diff</c> to <paramref name="root"/>.</summary>
    private static void AddFleetCommands(RootCommand root, TextWriter output, TextWriter error, bool showProgress)
    {
        root.Subcommands.Add(ExportCommand(output, error, showProgress));
    }

    private static Command ExportCommand(TextWriter output, TextWriter error, bool showProgress)
    {
        var source = new Argument<string>("trace-or-folder") { Description = "A trace (ATF session directory, Chrome or OTLP JSON file) or a folder of traces (searched recursively)." };
        var to = new Option<string>("--to") { Description = "The lake's folder: <to>/<table>/trace=<name>/part-0.parquet for events, spans, functions, findings.", Required = true };
        var noEvents = new Option<bool>("--no-events") { Description = "Leave out the events table (the largest); spans, functions and findings are still written." };
        var rowGroup = new Option<int>("--row-group-rows") { Description = "Rows per Parquet row group.", DefaultValueFactory = _ => TraceLakeOptions.Default.RowGroupRows };
        var command = new Command("export", "Export traces as a hive-partitioned Parquet lake (events, spans, functions, findings) for DuckDB, ClickHouse, Spark or Trino.")
        {
            source, to, noEvents, rowGroup,
        };
        command.SetAction(result => Guard(error, () =>
        {
            int rows = result.GetValue(rowGroup);
            if (rows < 1)
                throw new UsageException("--row-group-rows must be 1 or more.");
            var set = TraceSet.FromPath(result.GetValue(source)!);
            string destination = result.GetValue(to)!;
            var options = new TraceLakeOptions { RowGroupRows = rows, IncludeEvents = !result.GetValue(noEvents) };
            TraceLakeExport export;
            using (var progress = new ProgressIndicator(error, showProgress, $"exporting {TextFormat.Count(set.Count)} traces"))
            {
                int done = 0;
                var report = new Progress<TraceLakeTrace>(t => progress.Step($"exported {TextFormat.Count(Interlocked.Increment(ref done))} of {TextFormat.Count(set.Count)}: {t.Name}"));
                export = TraceLakeExporter.ExportAsync(set, destination, options, report).GetAwaiter().GetResult();
            }
            output.WriteLine($"exported {TextFormat.Count(export.Traces.Count)} of {TextFormat.Count(set.Count)} traces to {destination}: "
                + $"{TextFormat.Count(export.Events)} events, {TextFormat.Count(export.Spans)} spans, {TextFormat.Count(export.Functions)} function rows, "
                + $"{TextFormat.Count(export.Findings)} findings; {TextFormat.Count(export.BytesWritten)} bytes of Parquet");
            foreach (var failure in export.Failures)
                error.WriteLine($"error: {failure.Name}: {failure.Error}");
            return export.Failures.Count == 0 ? Success : BadInput;
        }));
        return command;
    }
}
