using System.Text.Json.Nodes;
using TraceQuery.Protocol;

namespace TraceQuery.Cli;

/// <summary>
/// How the CLI commands and the MCP tools reach <see cref="TraceQueryServer"/>: build a JSON-RPC 2.0 request,
/// hand it to <see cref="TraceQueryServer.HandleRequestAsync(string, CancellationToken)"/>, read the answer. Both
/// go through here so the command line and an MCP client cannot disagree.
/// </summary>
internal static class ServerCall
{
    /// <summary>Sends <paramref name="method"/> with the non-null <paramref name="parameters"/> and reads the response.</summary>
    public static async Task<ServerReply> SendAsync(TraceQueryServer server, string method, IEnumerable<KeyValuePair<string, JsonNode?>> parameters, CancellationToken cancellationToken = default)
    {
        var named = new JsonObject();
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
                named[name] = value;
        }
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 1,
            ["method"] = method,
            ["params"] = named,
        };
        string response = await server.HandleRequestAsync(request.ToJsonString(), cancellationToken).ConfigureAwait(false);
        return ServerReply.Parse(response);
    }
}
