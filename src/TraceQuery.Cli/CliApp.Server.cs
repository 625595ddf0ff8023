using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using TraceQuery.Cli.Mcp;
using TraceQuery.Formats;
using TraceQuery.Protocol;
using TraceQuery.Summaries;
using TraceQuery.Text;
using TraceQuery.Tools;

namespace TraceQuery.Cli;

/// <summary>The commands answered by <see cref="TraceQueryServer"/>: query, summary, top, and the MCP server.</summary>
internal static partial class CliApp
{
    /// <summary>A command-line answer may take longer than the MCP server's per-request limit: the person can press Ctrl+C.</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromHours(1);

    /// <summary>The trace argument and the options every answering command has.</summary>
    private sealed class AnswerOptions
    {
        public Argument<string> Trace { get; } = new("trace") { Description = "Trace to read: an ATF session directory, a Chrome Trace Event JSON file, an OTLP/JSON file or a .nettrace (picked by content)." };

        public Option<int> Budget { get; } = new("--budget", "-b")
        {
            Description = "Largest answer in tokens, counted with the model's tokenizer (the server caps it at 20,000).",
            DefaultValueFactory = _ => 4096,
        };

        public Option<string?> Model { get; } = new("--model", "-m")
        {
            Description = "Model whose tokenizer counts the budget: gpt-4o (default), gpt-4o-mini, gpt-4.1, o3, gpt-4, o200k_base, cl100k_base, …",
        };

        public Option<string?> Cursor { get; } = new("--cursor") { Description = "Continue a cut answer: the cursor from its last line (same other options)." };

        public Option<bool> Json { get; } = new("--json") { Description = "Print the server's whole JSON-RPC response instead of the text." };

        public void AddTo(Command command)
        {
            command.Arguments.Add(Trace);
            command.Options.Add(Budget);
            command.Options.Add(Model);
            command.Options.Add(Cursor);
            command.Options.Add(Json);
        }
    }

    private const string FilterHelp =
        "Event filter, e.g. 'error', 'kind:exception thread:3', 'fn:parse_* and duration>10ms', over span structure 'fn:handle_* >> fn:write_*', or over span attributes (Chrome args) 'arg.path:*types.ts', 'arg:*Windows.h*' (grammar in the README).";

    private static Command QueryCommand(TextWriter output, TextWriter error, bool showProgress)
    {
        var common = new AnswerOptions();
        var filter = new Option<string>("--filter", "-f") { Description = FilterHelp, Required = true };
        var limit = new Option<int?>("--limit") { Description = "List at most this many matching events." };
        var full = new Option<bool>("--full") { Description = "Show time, thread, depth, module and call duration for each event." };
        var command = new Command("query", "List the events a filter selects, within a token budget (server method trace.query).");
        command.Options.Add(filter);
        command.Options.Add(limit);
        command.Options.Add(full);
        common.AddTo(command);
        command.SetAction(result => Guard(error, () => Answer(result, common, TraceQueryMethods.Query, output, error, showProgress,
            ("filter", result.GetValue(filter)), ("limit", result.GetValue(limit)), ("projection", result.GetValue(full) ? "full" : null))));
        return command;
    }

    private static Command SummaryCommand(TextWriter output, TextWriter error, bool showProgress)
    {
        var common = new AnswerOptions();
        var filter = new Option<string?>("--filter", "-f") { Description = FilterHelp + " Default: the whole trace." };
        var command = new Command("summary", "Summarize a trace within a token budget: findings, hot functions, timeline, events (server method narration.summary).");
        command.Options.Add(filter);
        common.AddTo(command);
        command.SetAction(result => Guard(error, () => Answer(result, common, TraceQueryMethods.NarrationSummary, output, error, showProgress,
            ("filter", result.GetValue(filter)))));
        return command;
    }

    private static Command TopCommand(TextWriter output, TextWriter error, bool showProgress)
    {
        var common = new AnswerOptions();
        var by = new Option<string>("--by") { Description = "Rank by call count, total time, self time or p95 latency.", DefaultValueFactory = _ => "self" };
        by.AcceptOnlyFromAmong("count", "total", "self", "p95");
        var n = new Option<int>("--n") { Description = "How many functions.", DefaultValueFactory = _ => 10 };
        var filter = new Option<string?>("--filter", "-f") { Description = FilterHelp + " Default: the whole trace." };
        var command = new Command("top", "Rank functions by count, total, self or p95 time (server method stats.functionsTopN).");
        command.Options.Add(by);
        command.Options.Add(n);
        command.Options.Add(filter);
        common.AddTo(command);
        command.SetAction(result => Guard(error, () => Answer(result, common, TraceQueryMethods.StatsFunctionsTopN, output, error, showProgress,
            ("metric", result.GetValue(by)), ("n", result.GetValue(n)), ("filter", result.GetValue(filter)))));
        return command;
    }

    private static Command McpCommand(TextWriter error)
    {
        var root = new Option<string>("--root") { Description = "Directory whose trace sessions the tools may read (their 'trace' argument is relative to it).", Required = true };
        var maxBudget = new Option<int>("--max-budget") { Description = "Largest token budget a tool call gets; larger requests are clamped and told so.", DefaultValueFactory = _ => 20_000 };
        var verbose = new Option<bool>("--verbose") { Description = "Log protocol activity (to stderr; stdout carries only the protocol)." };
        var http = new Option<string?>("--http")
        {
            Description = "Serve Streamable HTTP at http://<address:port>/mcp instead of stdio, e.g. 127.0.0.1:8080 (port 0 picks a free one). "
                + "Any address other than loopback needs a bearer token.",
        };
        var tokenFile = new Option<string?>("--token-file")
        {
            Description = $"With --http: file holding the bearer token every request must send (Authorization: Bearer <token>); default the {McpHttpSettings.TokenVariable} environment variable.",
        };
        var allowOrigin = new Option<string[]>("--allow-origin")
        {
            Description = "With --http: a browser origin allowed besides loopback ones, e.g. https://tools.example.com (repeatable). Other origins are refused.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("mcp", "Serve the trace tools to an MCP client over stdio, or Streamable HTTP with --http (trace_info, trace_query, trace_summary, find_findings, list_spans, top_functions, get_events, search_around, plan_key_symbols, fleet_summary, diff_runs).")
        {
            root, maxBudget, verbose, http, tokenFile, allowOrigin,
        };
        command.SetAction(result => Guard(error, () =>
        {
            string directory = result.GetValue(root)!;
            int max = result.GetValue(maxBudget);
            if (max < 1)
                throw new UsageException("--max-budget must be 1 or more.");
            if (!Directory.Exists(directory))
                throw new DirectoryNotFoundException($"--root '{directory}' is not a directory.");
            var options = new TraceQueryServerOptions
            {
                TraceRoot = Path.GetFullPath(directory),
                MaxTokenBudget = max,
                DefaultTokenBudget = Math.Min(4096, max),
            };
            if (result.GetValue(http) is not { } address)
            {
                if (result.GetValue(tokenFile) is not null || result.GetValue(allowOrigin) is { Length: > 0 })
                    throw new UsageException("--token-file and --allow-origin apply to --http only.");
                McpHost.RunStdioAsync(options, result.GetValue(verbose), CancellationToken.None).GetAwaiter().GetResult();
                return Success;
            }
            McpHttpSettings settings;
            try
            {
                settings = McpHttpSettings.Parse(address, result.GetValue(tokenFile), Environment.GetEnvironmentVariable(McpHttpSettings.TokenVariable), result.GetValue(allowOrigin) ?? []);
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }
            ServeHttpAsync(options, settings, result.GetValue(verbose)).GetAwaiter().GetResult();
            return Success;
        }));
        return command;
    }

    private static async Task ServeHttpAsync(TraceQueryServerOptions options, McpHttpSettings settings, bool verbose)
    {
        await using var app = await McpHost.StartHttpAsync(options, settings, verbose, CancellationToken.None).ConfigureAwait(false);
        await app.WaitForShutdownAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Opens the trace, asks a server that holds only it, and prints the answer's text (or the whole response
    /// with --json). A clamped budget is noted on stderr so stdout stays exactly the counted text.
    /// </summary>
    private static int Answer(ParseResult result, AnswerOptions common, string method, TextWriter output, TextWriter error, bool showProgress,
        params (string Name, JsonNode? Value)[] parameters)
    {
        string path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(result.GetValue(common.Trace)!));
        string name = Path.GetFileName(path) is { Length: > 0 } last ? last : "trace";
        // The answer counts tokens: load the model's vocabulary on another core while the trace is read.
        string model = result.GetValue(common.Model) ?? "gpt-4o"; // the engine's default
        if (TokenCounter.SupportedModels.Contains(model, StringComparer.OrdinalIgnoreCase))
            _ = Task.Run(() => new TokenCounter(model).CountTokens("tracequery"));
        ServerReply reply;
        using (var progress = new ProgressIndicator(error, showProgress, $"loading {name}"))
        {
            using var trace = TraceFile.Open(path);
            progress.Step($"answering over {TextFormat.Count(trace.EventCount)} events");
            reply = AskAsync(trace, name, method, result, common, parameters).GetAwaiter().GetResult();
        }

        if (result.GetValue(common.Json))
            output.WriteLine(reply.Json);
        else if (!reply.IsError)
            output.Write(reply.Text.EndsWith('\n') ? reply.Text : reply.Text + "\n");
        if (reply.IsError)
        {
            error.WriteLine("error: " + reply.Text);
            return BadInput;
        }
        if (reply.BudgetNote is { } note)
            error.WriteLine("note: " + note + ".");
        return Success;
    }

    private static async Task<ServerReply> AskAsync(Model.ExecutionTrace trace, string name, string method, ParseResult result, AnswerOptions common, (string Name, JsonNode? Value)[] parameters)
    {
        await using var server = new TraceQueryServer(new QueryEngine(), new TraceQueryServerOptions { RequestTimeout = CommandTimeout });
        server.RegisterTrace(name, trace);
        await server.StartAsync().ConfigureAwait(false);
        var request = new List<KeyValuePair<string, JsonNode?>>
        {
            new("trace", name),
            new("token_budget", result.GetValue(common.Budget)),
            new("model", result.GetValue(common.Model)),
            new("cursor", result.GetValue(common.Cursor)),
        };
        foreach (var (parameter, value) in parameters)
            request.Add(new(parameter, value));
        return await ServerCall.SendAsync(server, method, request).ConfigureAwait(false);
    }
}
