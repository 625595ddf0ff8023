using System.Globalization;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TraceQuery.Formats;
using TraceQuery.Protocol;

namespace TraceQuery.Mcp.Internals;

/// <summary>
/// Adds the traces under the root to <c>resources/list</c>, after the host's own resources, in pages of their own: the
/// host's pages come first; its last page carries our first, and our cursors (<c>tracequery:&lt;offset&gt;</c>) continue.
/// </summary>
internal static class TraceResourceList
{
    private const string CursorPrefix = "tracequery:";

    /// <summary>The resources/list filter body: the host's page, then ours.</summary>
    public static async ValueTask<ListResourcesResult> ListAsync(RequestContext<ListResourcesRequestParams> context,
        McpRequestHandler<ListResourcesRequestParams, ListResourcesResult> next, TraceQueryServer server, int pageSize, CancellationToken cancellationToken)
    {
        string? cursor = context.Params?.Cursor;
        if (cursor is not null && cursor.StartsWith(CursorPrefix, StringComparison.Ordinal))
        {
            if (!int.TryParse(cursor.AsSpan(CursorPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int offset))
                throw new McpProtocolException($"Invalid cursor '{cursor}': pass the nextCursor of the previous resources/list unchanged.", McpErrorCode.InvalidParams);
            var page = new ListResourcesResult();
            AddPage(page, server, offset, pageSize);
            return page;
        }
        var result = await next(context, cancellationToken).ConfigureAwait(false);
        if (result.NextCursor is null)
            AddPage(result, server, 0, pageSize);
        return result;
    }

    /// <summary>The name the root itself is listed under when it is a session: its directory's name.</summary>
    public static string RootName(string root) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))) is { Length: > 0 } name ? name : "trace";

    private static void AddPage(ListResourcesResult result, TraceQueryServer server, int offset, int pageSize)
    {
        if (server.Options.TraceRoot is not { } root)
            return;
        var traces = TraceCatalog.List(root);
        foreach (var entry in traces.Skip(offset).Take(pageSize))
        {
            string name = entry.Name == "." ? RootName(root) : entry.Name;
            long bytes = TraceCatalog.SizeInBytes(entry);
            string format = entry.Format switch
            {
                TraceFileFormat.Atf => "atf",
                TraceFileFormat.ChromeJson => "chrome-json",
                TraceFileFormat.Registered => "registered",
                _ => "otlp-json",
            };
            result.Resources.Add(new Resource
            {
                Uri = TraceUri.For(name),
                Name = name,
                Title = "Trace " + name,
                Description = $"{(entry.Format == TraceFileFormat.Atf ? "ATF session" : entry.Format == TraceFileFormat.ChromeJson ? "Chrome Trace Event JSON" : entry.Format == TraceFileFormat.Registered ? "Trace in a registered format" : "OTLP JSON")}, {bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes; reading it gives trace_info's text.",
                MimeType = "text/markdown",
                Meta = new JsonObject { ["format"] = format, ["bytes"] = bytes },
            });
        }
        result.NextCursor = offset + pageSize < traces.Count ? CursorPrefix + (offset + pageSize).ToString(CultureInfo.InvariantCulture) : null;
    }
}
