using System.CommandLine;
using TraceQuery.Fleet;
using TraceQuery.Formats;
#if TRACEQUERY_PARQUET_NETTRACE
using TraceQuery.Parquet;
#endif
using TraceQuery.Text;

namespace TraceQuery.Cli;

/// <summary>The commands over many traces: <c>export</c> (a Parquet lake), <c>fleet</c> (one answer over a folder) and <c>diff</c> (two runs).</summary>
internal static partial class CliApp
{
    private static Command FleetCommand(TextWriter output, TextWriter error, bool showProgress)
    {
        var folder = new Argument<string>("folder") { Description = "A folder of traces (ATF session directories, Chrome or OTLP JSON files), searched recursively." };
        var budget = new Option<int>("--budget", "-b") { Description = "Largest answer in tokens, counted with the model's tokenizer.", DefaultValueFactory = _ => 4096 };
        var filter = new Option<string?>("--filter", "-f") { Description = FilterHelp + " Applied to every trace. Default: whole traces." };
        var model = new Option<string?>("--model", "-m") { Description = "Model whose tokenizer counts the budget (default gpt-4o)." };
        var cursor = new Option<string?>("--cursor") { Description = "Continue a cut answer: the cursor from its last line (same other options)." };
        var parallel = new Option<int>("--parallel") { Description = "Traces analysed at once (each held in memory while it is analysed).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("fleet", "One answer over a folder of traces within a token budget: which runs failed and where (grouped by culprit), hot functions that differ most between runs, outlier runs, and every run in a line.")
        {
            folder, budget, filter, model, cursor, parallel,
        };
        command.SetAction(result => Guard(error, () =>
        {
            if (result.GetValue(parallel) < 1)
                throw new UsageException("--parallel must be 1 or more.");
            string path = result.GetValue(folder)!;
            var set = TraceSet.FromPath(path);
            string name = DisplayName(Directory.Exists(path) && !AtfReaderIsSession(path) ? path : set.Root);
            var options = new FleetOptions
            {
                Filter = result.GetValue(filter),
                Model = result.GetValue(model),
                MaxDegreeOfParallelism = result.GetValue(parallel),
                // Names as the single-trace commands take them from here: "runs/run-17".
                TraceNamePrefix = name == "." ? "" : name + "/",
            };
            QueryResult answer;
            using (var progress = new ProgressIndicator(error, showProgress, $"analysing {TextFormat.Count(set.Count)} traces"))
            {
                try
                {
                    answer = BudgetedAnswer(() => new QueryEngine().SummarizeFleet(set, result.GetValue(budget), options, result.GetValue(cursor), name));
                }
                catch (Filtering.FilterSyntaxException e)
                {
                    throw new UsageException("--filter: " + e.Message);
                }
            }
            output.Write(answer.Summary);
            return Success;
        }));
        return command;
    }

    private static bool AtfReaderIsSession(string path) => Formats.Atf.AtfReader.IsSession(path);

    /// <summary>How an answer over several traces names a trace given on the command line: its path relative to the working directory, with <c>/</c>.</summary>
    private static string DisplayName(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative).Replace('\\', '/');
    }

    private static Command DiffCommand(TextWriter output, TextWriter error, bool showProgress)
    {
        var baseline = new Argument<string>("baseline") { Description = "The reference run: an ATF session directory, a Chrome or OTLP JSON file." };
        var candidate = new Argument<string>("candidate") { Description = "The run to judge, in any of the same formats." };
        var budget = new Option<int>("--budget", "-b") { Description = "Largest answer in tokens, counted with the model's tokenizer.", DefaultValueFactory = _ => 4096 };
        var model = new Option<string?>("--model", "-m") { Description = "Model whose tokenizer counts the budget (default gpt-4o)." };
        var cursor = new Option<string?>("--cursor") { Description = "Continue a cut answer: the cursor from its last line (same other options)." };
        var minRelative = new Option<double>("--min-relative") { Description = "Smallest change that counts, as a share of the baseline (0.25 = 25%).", DefaultValueFactory = _ => RunDiffOptions.Default.MinRelativeChange };
        var minAbsolute = new Option<string>("--min-absolute") { Description = "Smallest change of p50, p95 or self time that counts (ns, or with a unit: 1us, 2ms).", DefaultValueFactory = _ => "1us" };
        var minCalls = new Option<int>("--min-calls") { Description = "Calls a function needs in both runs before its durations are compared.", DefaultValueFactory = _ => RunDiffOptions.Default.MinCalls };
        var minCount = new Option<long>("--min-count") { Description = "Smallest change of a call count or an error count that counts.", DefaultValueFactory = _ => RunDiffOptions.Default.MinCountChange };
        var command = new Command("diff", "Compare two runs within a token budget: new errors and findings, slower or faster functions (count, p50, p95, self time beyond thresholds), functions that appear or vanish, and what did not change.")
        {
            baseline, candidate, budget, model, cursor, minRelative, minAbsolute, minCalls, minCount,
        };
        command.SetAction(result => Guard(error, () =>
        {
            if (!TryParseDuration(result.GetValue(minAbsolute)!, out long absolute))
                throw new UsageException($"--min-absolute '{result.GetValue(minAbsolute)}' is not a duration; write nanoseconds or a number with ns, us, ms or s.");
            var options = new RunDiffOptions
            {
                MinRelativeChange = result.GetValue(minRelative),
                MinAbsoluteChangeNs = absolute,
                MinCalls = result.GetValue(minCalls),
                MinCountChange = result.GetValue(minCount),
                Model = result.GetValue(model),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new UsageException(e.Message.Split(" (Parameter")[0]);
            }
            string basePath = result.GetValue(baseline)!, candidatePath = result.GetValue(candidate)!;
            QueryResult answer;
            using (var progress = new ProgressIndicator(error, showProgress, "loading " + Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(basePath)))))
            {
                using var before = TraceFile.Open(basePath);
                progress.Step("loading " + Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(candidatePath))));
                using var after = TraceFile.Open(candidatePath);
                progress.Step("comparing");
                answer = BudgetedAnswer(() => new QueryEngine().Diff(before, after, result.GetValue(budget), options, result.GetValue(cursor), DisplayName(basePath), DisplayName(candidatePath)));
            }
            output.Write(answer.Summary);
            return Success;
        }));
        return command;
    }

    /// <summary>Nanoseconds, or a non-negative number with a unit: <c>ns</c>, <c>us</c>, <c>µs</c>, <c>ms</c>, <c>s</c>.</summary>
    private static bool TryParseDuration(string text, out long nanoseconds)
    {
        nanoseconds = 0;
        text = text.Trim();
        (string Unit, double Scale)[] units = [("ns", 1), ("us", 1e3), ("\u00b5s", 1e3), ("\u03bcs", 1e3), ("ms", 1e6), ("s", 1e9), ("", 1)];
        foreach (var (unit, scale) in units)
        {
            if (!text.EndsWith(unit, StringComparison.Ordinal))
                continue;
            if (!double.TryParse(text.AsSpan(0, text.Length - unit.Length).Trim(), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out double value))
                return false;
            double ns = Math.Round(value * scale);
            if (ns > long.MaxValue)
                return false;
            nanoseconds = (long)ns;
            return true;
        }
        return false;
    }

    /// <summary>Runs a library answer, turning a refused budget, cursor or model into a usage error (exit 2) that says why.</summary>
    private static QueryResult BudgetedAnswer(Func<QueryResult> answer)
    {
        try
        {
            return answer();
        }
        catch (ArgumentException e) when (e.ParamName is "tokenBudget" or "cursor" or "model")
        {
            throw new UsageException((e.ParamName == "tokenBudget" ? "--budget: " : "--" + e.ParamName + ": ") + e.Message.Split(" (Parameter")[0]);
        }
    }

#if !TRACEQUERY_PARQUET_NETTRACE
    /// <summary>The Native AOT build has no Parquet writer (Parquet.Net is not AOT-safe): <c>export</c> says so.</summary>
    private static Command ExportCommand(TextWriter output, TextWriter error, bool showProgress)
    {
        var command = new Command("export", "Not in this Native AOT build (Parquet.Net is not AOT-safe): use the dotnet tool (dotnet tool install TraceQuery.Cli).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(_ => Guard(error, () => throw new UsageException("export is not in the Native AOT build of tracequery (Parquet.Net is not AOT-safe); the dotnet tool (dotnet tool install TraceQuery.Cli) has it.")));
        return command;
    }
#else
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
#endif
}
