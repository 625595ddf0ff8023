using System.Collections;
using Microsoft.Extensions.AI;
using TraceQuery.AI.Internals;
using TraceQuery.Protocol;
using TraceQuery.Tools;

namespace TraceQuery.AI;

/// <summary>
/// The TraceQuery tools (<c>trace_info</c>, <c>trace_query</c>, <c>trace_summary</c>, <c>find_findings</c>, <c>list_spans</c>,
/// <c>top_functions</c>, <c>get_events</c>, <c>search_around</c>, <c>plan_key_symbols</c>) as Microsoft.Extensions.AI
/// <see cref="AIFunction"/>s, for an <see cref="IChatClient"/> host with <c>UseFunctionInvocation()</c> and no MCP. Same names,
/// descriptions, parameters and budgets as the MCP tools; each function returns the budgeted answer's text (an error as
/// text starting "Error:", so the model can correct its call). Put them in <see cref="ChatOptions.Tools"/>.
/// </summary>
public sealed class TraceQueryFunctions : IReadOnlyList<AIFunction>, IAsyncDisposable, IDisposable
{
    private readonly AIFunction[] _functions;
    private readonly bool _ownsServer;

    private TraceQueryFunctions(TraceQueryServer server, bool ownsServer)
    {
        Server = server;
        _ownsServer = ownsServer;
        var invoker = new FunctionInvoker(server);
        _functions = [.. ToolMethods.Definitions.Select(d => (AIFunction)new ArgumentCheckingFunction(
            ToolFunctionFactory.Create(d, _ => invoker, AIJsonUtilities.DefaultOptions)))];
    }

    /// <summary>
    /// Functions over the traces under <paramref name="traceRoot"/> (their <c>trace</c> argument is relative to it), answered
    /// by a server of their own that the returned object owns: dispose it to release the loaded traces.
    /// </summary>
    /// <param name="engine">Answers the queries (its tokenizer, analyzer, logger and meter).</param>
    /// <param name="traceRoot">Directory of ATF sessions and Chrome/OTLP JSON files; nothing outside it can be read.</param>
    /// <param name="options">Limits (budgets, cache, timeout); <see cref="TraceQueryServerOptions.TraceRoot"/> is set to <paramref name="traceRoot"/>.</param>
    /// <exception cref="DirectoryNotFoundException"><paramref name="traceRoot"/> is not a directory.</exception>
    public static TraceQueryFunctions Create(QueryEngine engine, string traceRoot, TraceQueryServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentException.ThrowIfNullOrEmpty(traceRoot);
        if (!Directory.Exists(traceRoot))
            throw new DirectoryNotFoundException($"The trace root '{traceRoot}' is not a directory.");
        var server = new TraceQueryServer(engine, (options ?? new TraceQueryServerOptions()) with { TraceRoot = Path.GetFullPath(traceRoot) });
        server.StartAsync().GetAwaiter().GetResult();
        return new TraceQueryFunctions(server, ownsServer: true);
    }

    /// <summary>Functions answered by <paramref name="server"/> (started by the caller, who keeps owning it: disposing the functions leaves it running).</summary>
    public static TraceQueryFunctions Create(TraceQueryServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new TraceQueryFunctions(server, ownsServer: false);
    }

    /// <summary>The server that answers the functions.</summary>
    public TraceQueryServer Server { get; }

    /// <inheritdoc />
    public int Count => _functions.Length;

    /// <inheritdoc />
    public AIFunction this[int index] => _functions[index];

    /// <inheritdoc />
    public IEnumerator<AIFunction> GetEnumerator() => ((IEnumerable<AIFunction>)_functions).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes the server when <see cref="Create(QueryEngine, string, TraceQueryServerOptions?)"/> made it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsServer)
            await Server.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc cref="DisposeAsync" />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
