using System.CommandLine;
using TraceQuery.Formats;
using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
#if TRACEQUERY_PARQUET_NETTRACE
using TraceQuery.NetTrace;
#endif
using TraceQuery.Summaries;
using TraceQuery.Text;

namespace TraceQuery.Cli;

/// <summary>
/// The <c>tracequery</c> commands. Exit codes: 0 success, 1 bad input (an unreadable trace, an error answer
/// from the server), 2 usage error. Commands that answer questions go through <see cref="TraceQuery.Protocol.TraceQueryServer"/>
/// (see <c>CliApp.Server.cs</c>), exactly as the MCP tools do.
/// </summary>
internal static partial class CliApp
{
    public const int Success = 0;
    public const int BadInput = 1;
    public const int UsageError = 2;

    /// <summary>Parses and runs one command line; <paramref name="showProgress"/> allows an activity line on <paramref name="error"/> (a terminal).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, bool showProgress = false)
    {
#if TRACEQUERY_PARQUET_NETTRACE
        // .nettrace files for every command, the server and the MCP tools (TraceFile.Open picks the reader by content).
        // Registering adds a reader entry only; TraceEvent loads when a .nettrace is opened. Not in the Native AOT build.
        NetTraceFile.Register();
#endif
        var root = new RootCommand("tracequery: answer questions about execution traces within a token budget.");

        // Only the named command is built when the first argument names one ("do no work a command does not need":
        // the others' options, help texts and the types behind them stay unloaded); anything else (no command, --help,
        // a typo, a response file) gets them all, so help and suggestions are unchanged.
        var commands = Commands(output, error, showProgress);
        int only = -1;
        for (int i = 0; i < commands.Length && args.Length > 0; i++)
        {
            if (commands[i].Name == args[0])
                only = i;
        }
        for (int i = 0; i < commands.Length; i++)
        {
            if (only < 0 || i == only)
                root.Subcommands.Add(commands[i].Create());
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var parseError in parsed.Errors)
                error.WriteLine(parseError.Message);
            error.WriteLine("Run 'tracequery --help' for usage.");
            return UsageError;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>Every command in help order, each built only when asked for.</summary>
    private static (string Name, Func<Command> Create)[] Commands(TextWriter output, TextWriter error, bool showProgress) =>
    [
        ("info", () => InfoCommand(output, error)),
        ("generate", () => GenerateCommand(output, error)),
        ("query", () => QueryCommand(output, error, showProgress)),
        ("summary", () => SummaryCommand(output, error, showProgress)),
        ("top", () => TopCommand(output, error, showProgress)),
        ("around", () => AroundCommand(output, error, showProgress)),
        ("plan", () => PlanCommand(output, error, showProgress)),
        ("mcp", () => McpCommand(error)),
        ("export", () => ExportCommand(output, error, showProgress)),
        ("diff", () => DiffCommand(output, error, showProgress)),
        ("fleet", () => FleetCommand(output, error, showProgress)),
    ];

    private static Command InfoCommand(TextWriter output, TextWriter error)
    {
        var infoTrace = new Argument<string>("trace") { Description = "Trace to read: an ATF session directory, a Chrome Trace Event JSON file, an OTLP/JSON file or a .nettrace (picked by content)." };
        var infoEvents = new Option<int>("--events", "-n") { Description = "How many of the first events to list.", DefaultValueFactory = _ => 10 };
        var info = new Command("info", "Show a trace's threads, time range, recovery report and first events.") { infoTrace, infoEvents };
        info.SetAction(result => Guard(error, () =>
        {
            int events = result.GetValue(infoEvents);
            if (events < 0)
                throw new UsageException("--events must be 0 or more.");
            using var trace = TraceFile.Open(result.GetValue(infoTrace)!);
            output.Write(TraceInfoText.Render(trace, events));
        }));
        return info;
    }

    private static Command GenerateCommand(TextWriter output, TextWriter error)
    {
        var generateDirectory = new Argument<string>("directory") { Description = "Where to write the ATF session." };
        var generateEvents = new Option<int>("--events") { Description = "Number of events.", DefaultValueFactory = _ => 10_000 };
        var generateThreads = new Option<int>("--threads") { Description = "Number of threads.", DefaultValueFactory = _ => 4 };
        var generateSeed = new Option<int>("--seed") { Description = "Seed; the same seed gives the same bytes.", DefaultValueFactory = _ => 42 };
        var generateAnomalies = new Option<string>("--anomalies")
        {
            Description = "Anomalies to plant: none, all, or a comma list of crash, outlier, leak, hang, hotloop.",
            DefaultValueFactory = _ => "none",
        };
        var generateDetail = new Option<bool>("--detail") { Description = "Attach detail records (registers, stack) to libstore calls." };
        var generate = new Command("generate", "Write a deterministic synthetic ATF session.")
        {
            generateDirectory, generateEvents, generateThreads, generateSeed, generateAnomalies, generateDetail,
        };
        generate.SetAction(result => Guard(error, () =>
        {
            int events = result.GetValue(generateEvents);
            int threads = result.GetValue(generateThreads);
            if (events < 0)
                throw new UsageException("--events must be 0 or more.");
            if (threads < 1)
                throw new UsageException("--threads must be 1 or more.");
            var options = new TraceGeneratorOptions
            {
                Threads = threads,
                Seed = result.GetValue(generateSeed),
                Anomalies = ParseAnomalies(result.GetValue(generateAnomalies)!),
                WithDetail = result.GetValue(generateDetail),
            };
            string directory = result.GetValue(generateDirectory)!;
            using var trace = TraceGenerator.Generate(events, options);
            AtfWriter.Write(trace, directory);
            output.WriteLine($"wrote {TextFormat.Count(trace.EventCount)} events on {threads} threads to {directory}");
        }));
        return generate;
    }

    private static TraceAnomalies ParseAnomalies(string text)
    {
        var result = TraceAnomalies.None;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result |= part.ToLowerInvariant() switch
            {
                "none" => TraceAnomalies.None,
                "all" => TraceAnomalies.All,
                "crash" => TraceAnomalies.Crash,
                "outlier" => TraceAnomalies.LatencyOutlier,
                "leak" => TraceAnomalies.Leak,
                "hang" => TraceAnomalies.Hang,
                "hotloop" => TraceAnomalies.HotLoop,
                _ => throw new UsageException($"unknown anomaly '{part}'; use none, all, crash, outlier, leak, hang or hotloop."),
            };
        }
        return result;
    }

    private static int Guard(TextWriter error, Action action) =>
        Guard(error, () =>
        {
            action();
            return Success;
        });

    private static int Guard(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (UsageException e)
        {
            error.WriteLine("error: " + e.Message);
            return UsageError;
        }
        catch (ArgumentException e) when (e.ParamName == "path" && e is not ArgumentNullException)
        {
            // An empty trace or folder argument ("tracequery info ''") reaches the path APIs as "".
            error.WriteLine("error: a trace path is empty; give a trace file or an ATF session folder.");
            return UsageError;
        }
        catch (Exception e) when (e is TraceFormatException or DirectoryNotFoundException or FileNotFoundException or UnauthorizedAccessException or IOException)
        {
            error.WriteLine("error: " + e.Message);
            return BadInput;
        }
    }

    private sealed class UsageException(string message) : Exception(message);
}
