using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TraceQuery.Formats.Atf;
using TraceQuery.Protocol;
using TraceQuery.Tools;

namespace TraceQuery.Mcp.Internals;

/// <summary>
/// One <c>trace://</c> resource template: reading a trace gives its <c>trace_info</c> text, reading an event or a span gives
/// what <c>get_events</c> gives for its reference; both within the server's default budget.
/// </summary>
internal sealed class TraceResource(TraceResourceKind kind, TraceQueryServer server) : McpServerResource
{
    public override ResourceTemplate ProtocolResourceTemplate { get; } = kind switch
    {
        TraceResourceKind.Event => Template("/event/{thread}/{seq}", "trace_event", "Trace event",
            "An event a tool quoted as event:<thread>:<seq>: time, thread, depth, function, module and its detail record (registers, stack), as get_events gives it."),
        TraceResourceKind.Span => Template("/span/{id}", "trace_span", "Trace span",
            "A call span a tool quoted as span:<id>: timing, status and parent, as get_events gives it."),
        _ => Template("", "trace", "Trace",
            "A trace under the server's root (an ATF session or a Chrome/OTLP JSON file): reading it gives trace_info's text."),
    };

    private static ResourceTemplate Template(string pathTemplate, string name, string title, string description) => new()
    {
        UriTemplate = TraceUri.Scheme + "{+trace}" + pathTemplate,
        Name = name,
        Title = title,
        Description = description,
        MimeType = "text/markdown",
    };

    public override IReadOnlyList<object> Metadata => [];

    public override bool IsMatch(string uri) => TraceUri.Parse(uri)?.Kind == kind;

    public override async ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken = default)
    {
        string uri = request.Params?.Uri ?? "";
        var parsed = TraceUri.Parse(uri) ?? throw new McpProtocolException($"Unknown resource URI: '{uri}'; use trace://<name>, trace://<name>/event/<thread>/<seq> or trace://<name>/span/<id>.", McpErrorCode.InvalidParams);
        var parameters = new List<KeyValuePair<string, JsonNode?>> { new("trace", TraceName(parsed.Trace)) };
        if (parsed.Reference is { } reference)
            parameters.Add(new("refs", new JsonArray(reference)));
        var reply = await ServerCall.SendAsync(server, parsed.Reference is null ? TraceQueryMethods.TraceInfo : TraceQueryMethods.EventsGet, parameters, cancellationToken).ConfigureAwait(false);
        if (reply.IsError)
            throw new McpProtocolException($"Cannot read '{uri}': {reply.Text}", McpErrorCode.InvalidParams);
        return new ReadResourceResult { Contents = [new TextResourceContents { Uri = uri, MimeType = "text/markdown", Text = reply.Text }] };
    }

    /// <summary>The server's name of a listed trace: the root itself, when it is a session, is listed under its directory's name.</summary>
    private string TraceName(string name) =>
        server.Options.TraceRoot is { } root && AtfReader.IsSession(root) && name == TraceResourceList.RootName(root) ? "." : name;
}
