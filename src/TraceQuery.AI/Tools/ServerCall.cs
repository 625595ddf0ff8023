using System.Text.Json.Nodes;
using TraceQuery.Protocol;

namespace TraceQuery.Tools;

/// <summary>
/// How the CLI commands, the MCP tools and the agent functions reach <see cref="TraceQueryServer"/>: build a JSON-RPC
/// 2.0 request, hand it to the server, read the answer. All go through here so no two surfaces can disagree.
/// (One source file, compiled into each assembly that needs it.)
/// </summary>
internal static class ServerCall
{
    /// <summary>Sends <paramref name="method"/> with the non-null <paramref name="parameters"/> and reads the response; the server reports its stages to <paramref name="progress"/>.</summary>
    public static async Task<ServerReply> SendAsync(TraceQueryServer server, string method, IEnumerable<KeyValuePair<string, JsonNode?>> parameters, CancellationToken cancellationToken = default, IProgress<TraceQueryProgress>? progress = null)
    {
        var named = new JsonObject();
        foreach (var (name, value) in parameters)
        {
            if (value is not null)
                named[name] = value.Parent is null ? value : value.DeepClone();
        }
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 1,
            ["method"] = method,
            ["params"] = named,
        };
        string response = await server.HandleRequestAsync(request.ToJsonString(), progress, cancellationToken).ConfigureAwait(false);
        return ServerReply.Parse(response);
    }
}
