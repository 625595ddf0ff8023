using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using TraceQuery.Formats;
using TraceQuery.Formats.Atf;
using TraceQuery.Protocol;

namespace TraceQuery.Cli.Mcp;

/// <summary>
/// <c>tracequery mcp</c>: the MCP stdio server. Hosting, transport and tool binding are the SDK's
/// (<c>AddMcpServer().WithStdioServerTransport().WithTools&lt;T&gt;()</c>); the answers are <see cref="TraceQueryServer"/>'s.
/// Stdout carries only the protocol; logs go to stderr.
/// </summary>
internal static class McpHost
{
    /// <summary>Sessions listed in the server's instructions, at most.</summary>
    private const int ListedSessions = 30;

    /// <summary>
    /// Serves <paramref name="server"/> over stdin/stdout until the client closes stdin or the process is stopped.
    /// Logs go to stderr: our own at Information, the SDK's per-request lines only when <paramref name="verbose"/>.
    /// </summary>
    public static async Task RunAsync(TraceQueryServer server, bool verbose, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        if (!verbose)
            builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
        builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
        builder.Services.AddSingleton(server);
        builder.Services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "tracequery", Version = Version() };
                options.ServerInstructions = Instructions(server.Options);
            })
            .WithStdioServerTransport()
            .WithTools<TraceQueryTools>()
            .WithRequestFilters(filters => filters.AddCallToolFilter(next => async (context, cancellationToken) =>
            {
                // Arguments the SDK cannot bind (a missing required one, a wrong JSON type) would otherwise come
                // back as a bare "An error occurred": say what is wrong so the model can correct the call.
                try
                {
                    return await next(context, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is ArgumentException or System.Text.Json.JsonException)
                {
                    return new CallToolResult
                    {
                        IsError = true,
                        Content = [new TextContentBlock { Text = $"Invalid arguments for {context.Params?.Name}: {e.Message.Split(" (Parameter")[0]} See the tool's input schema." }],
                    };
                }
            }));
        using var host = builder.Build();
        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("tracequery");
        log.LogInformation("Serving traces under {Root} over stdio (token budget default {Default}, maximum {Maximum}).",
            server.Options.TraceRoot, server.Options.DefaultTokenBudget, server.Options.MaxTokenBudget);
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a model should know before its first call: where to start, and which sessions the root holds.</summary>
    internal static string Instructions(TraceQueryServerOptions options)
    {
        var text = new System.Text.StringBuilder(
            "TraceQuery answers questions about execution traces (ATF sessions, Chrome Trace Event or OTLP JSON files) within a token budget. "
            + "Start with trace_summary (or trace_info), follow evidence references (event:, span:, fn:) with get_events, "
            + "narrow with trace_query filters, list_spans and top_functions, and use find_findings to match a symptom. "
            + "Look around an anchor (a crash event, a slow span, a time) with search_around; ask plan_key_symbols which functions matter for a symptom. "
            + "Every answer fits token_budget (default 4096); a cut answer ends with a cursor for the next page.");
        if (options.TraceRoot is { } root)
        {
            var sessions = Sessions(root).Take(ListedSessions + 1).ToList();
            if (sessions.Count == 0)
                text.Append(" No trace session was found under the root at startup.");
            else if (sessions.Count == 1 && sessions[0] == ".")
                text.Append(" The root is itself a session: omit the trace argument.");
            else
                text.Append(" Sessions under the root at startup (pass one as trace): ").Append(string.Join(", ", sessions.Take(ListedSessions)))
                    .Append(sessions.Count > ListedSessions ? ", …" : "").Append('.');
        }
        return text.ToString();
    }

    /// <summary>Session directories and JSON trace files under <paramref name="root"/> (two levels deep), relative and sorted.</summary>
    private static IEnumerable<string> Sessions(string root)
    {
        if (AtfReader.IsSession(root))
        {
            yield return ".";
            yield break;
        }
        var found = new List<string>();
        found.AddRange(JsonTraces(root).Select(Path.GetFileName)!);
        foreach (string first in SafeDirectories(root))
        {
            found.AddRange(JsonTraces(first).Select(f => Path.GetFileName(first) + "/" + Path.GetFileName(f)));
            if (AtfReader.IsSession(first))
            {
                found.Add(Path.GetFileName(first));
                continue;
            }
            foreach (string second in SafeDirectories(first))
            {
                if (AtfReader.IsSession(second))
                    found.Add(Path.GetFileName(first) + "/" + Path.GetFileName(second));
            }
        }
        found.Sort(StringComparer.Ordinal);
        foreach (string name in found)
            yield return name;
    }

    /// <summary>The .json/.jsonl files (gzipped or not: .json.gz, .jsonl.gz) of a directory whose content is a Chrome or OTLP trace.</summary>
    private static IEnumerable<string> JsonTraces(string directory)
    {
        string[] files;
        try
        {
            files = Directory.GetFiles(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (string file in files)
        {
            string name = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? file[..^3] : file;
            if (!name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
                continue;
            TraceFileFormat format;
            try
            {
                format = TraceFile.DetectFormat(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (format is TraceFileFormat.ChromeJson or TraceFileFormat.OtlpJson)
                yield return file;
        }
    }

    private static string[] SafeDirectories(string directory)
    {
        try
        {
            return Directory.GetDirectories(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string Version() =>
        typeof(McpHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
