using TraceQuery.Protocol;

namespace TraceQuery.Mcp;

/// <summary>How <see cref="Microsoft.Extensions.DependencyInjection.TraceQueryMcpServerBuilderExtensions.WithTraceQueryTools"/> serves traces to a host's MCP server.</summary>
public sealed record TraceQueryMcpOptions
{
    /// <summary>
    /// The server the tools call: trace root, budgets, cache, timeout. Used when the host has not registered a
    /// <see cref="TraceQueryServer"/> of its own. Default: <see cref="TraceQueryServerOptions"/>' defaults (no root: only
    /// traces registered in memory).
    /// </summary>
    public TraceQueryServerOptions Server { get; init; } = new();

    /// <summary>Whether each trace under the root is listed and readable as a <c>trace://</c> resource, with templates for evidence references. Default true.</summary>
    public bool Resources { get; init; } = true;

    /// <summary>Traces per page of <c>resources/list</c>. Default 50.</summary>
    public int ResourcePageSize { get; init; } = 50;
}
