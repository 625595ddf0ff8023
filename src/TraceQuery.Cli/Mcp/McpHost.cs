using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using TraceQuery.Mcp;
using TraceQuery.Protocol;

namespace TraceQuery.Cli.Mcp;

/// <summary>
/// <c>tracequery mcp</c>: the host around <c>WithTraceQueryTools</c> (package TraceQuery.Mcp), over stdio or over Streamable
/// HTTP at <c>/mcp</c>. Stdout carries only the stdio protocol (nothing in HTTP mode); logs go to stderr.
/// </summary>
internal static class McpHost
{
    /// <summary>The path the HTTP server answers MCP on.</summary>
    public const string HttpPath = "/mcp";

    /// <summary>Serves over stdin/stdout until the client closes stdin or the process is stopped.</summary>
    public static async Task RunStdioAsync(TraceQueryServerOptions options, bool verbose, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        ConfigureLogging(builder.Logging, verbose);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        AddServer(builder.Services, options).WithStdioServerTransport();
        using var host = builder.Build();
        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("tracequery").LogInformation(
            "Serving traces under {Root} over stdio (token budget default {Default}, maximum {Maximum}).", options.TraceRoot, options.DefaultTokenBudget, options.MaxTokenBudget);
        await host.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the Streamable HTTP server on <paramref name="settings"/>' endpoint and returns it running; the caller stops and
    /// disposes it. The bound address (port 0 picks a free one) is logged to stderr and given by <see cref="EndpointOf"/>.
    /// </summary>
    public static async Task<WebApplication> StartHttpAsync(TraceQueryServerOptions options, McpHttpSettings settings, bool verbose, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ConfigureLogging(builder.Logging, verbose);
        builder.Logging.AddFilter("Microsoft.AspNetCore", verbose ? LogLevel.Information : LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(settings.Endpoint));
        AddServer(builder.Services, options).WithHttpTransport(http => http.Stateless = false);
        var app = builder.Build();
        var guard = new McpHttpGuard(settings);
        app.Use(guard.InvokeAsync);
        app.MapMcp(HttpPath);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("tracequery").LogInformation(
            "Serving traces under {Root} at {Url} ({Auth}; token budget default {Default}, maximum {Maximum}).",
            options.TraceRoot, EndpointOf(app), settings.Token is null ? "loopback only, no token" : "bearer token required", options.DefaultTokenBudget, options.MaxTokenBudget);
        return app;
    }

    /// <summary>The URL a started HTTP server answers MCP on, e.g. <c>http://127.0.0.1:5000/mcp</c>.</summary>
    public static Uri EndpointOf(WebApplication app)
    {
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The HTTP server reports no address.");
        return new Uri(address.TrimEnd('/') + HttpPath);
    }

    private static IMcpServerBuilder AddServer(IServiceCollection services, TraceQueryServerOptions options) =>
        services
            .AddMcpServer(o =>
            {
                o.ServerInfo = new Implementation { Name = "tracequery", Version = Version() };
                o.ServerInstructions = TraceQueryMcpInstructions.Create(options);
            })
            .WithTraceQueryTools(new TraceQueryMcpOptions { Server = options });

    private static void ConfigureLogging(ILoggingBuilder logging, bool verbose)
    {
        logging.ClearProviders();
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        if (!verbose)
            logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
    }

    private static string Version() =>
        typeof(McpHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
