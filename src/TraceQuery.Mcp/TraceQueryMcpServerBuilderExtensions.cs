using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;
using TraceQuery;
using TraceQuery.Mcp;
using TraceQuery.Mcp.Internals;
using TraceQuery.Protocol;
using TraceQuery.Tools;

// Beside AddMcpServer(), as the SDK's own With* extensions are, so one using serves both.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the TraceQuery tools and trace resources to a host's own MCP server, over whichever transport the host chose.</summary>
public static class TraceQueryMcpServerBuilderExtensions
{
    /// <summary>
    /// Adds the nine read-only TraceQuery tools (<c>trace_info</c>, <c>trace_query</c>, <c>trace_summary</c>, <c>find_findings</c>,
    /// <c>list_spans</c>, <c>top_functions</c>, <c>get_events</c>, <c>search_around</c>, <c>plan_key_symbols</c>), each with an output
    /// schema and structured content, and (unless <see cref="TraceQueryMcpOptions.Resources"/> is false) the traces under the root
    /// as <c>trace://</c> resources. The tools call the host's <see cref="TraceQueryServer"/> service when it registered one, else a
    /// server made from <see cref="TraceQueryMcpOptions.Server"/> (over the host's <see cref="QueryEngine"/> service, if any), which
    /// the container disposes.
    /// </summary>
    /// <param name="builder">From <c>services.AddMcpServer()</c>.</param>
    /// <param name="options">Trace root, limits, resources; null for the defaults.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IMcpServerBuilder WithTraceQueryTools(this IMcpServerBuilder builder, TraceQueryMcpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= new TraceQueryMcpOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ResourcePageSize, 1, nameof(options.ResourcePageSize));
        builder.Services.TryAddSingleton(services =>
        {
            var engine = services.GetService<QueryEngine>() ?? new QueryEngine();
            var server = new TraceQueryServer(engine, options.Server, services.GetService<ILoggerFactory>()?.CreateLogger("TraceQuery.Mcp"));
            server.StartAsync().GetAwaiter().GetResult();
            return server;
        });
        foreach (var definition in ToolMethods.Definitions)
            builder.Services.AddSingleton(services => McpTools.Create(definition, services.GetRequiredService<TraceQueryServer>()));
        if (options.Resources)
        {
            foreach (var kind in Enum.GetValues<TraceResourceKind>())
                builder.Services.AddSingleton<McpServerResource>(services => new TraceResource(kind, services.GetRequiredService<TraceQueryServer>()));
            builder.WithRequestFilters(filters => filters.AddListResourcesFilter(next => (context, cancellationToken) =>
                TraceResourceList.ListAsync(context, next, context.Services!.GetRequiredService<TraceQueryServer>(), options.ResourcePageSize, cancellationToken)));
        }
        return builder;
    }
}
