using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TraceQuery.Protocol;
using TraceQuery.Tools;

namespace TraceQuery.Mcp.Internals;

/// <summary>Makes the MCP tool of a <see cref="ToolDefinition"/>: the shared definition's schema and description, read-only hints, the output schema, and <see cref="McpToolInvoker"/> behind it.</summary>
internal static class McpTools
{
    /// <summary>The <c>outputSchema</c> every tool declares: the answer's metadata, beside the text block that holds the answer.</summary>
    public static JsonElement OutputSchema { get; } = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "tokens_used": { "type": "integer", "description": "Tokens of everything this result gives the model: the text blocks plus this structured content, by the model's tokenizer. Never above token_budget." },
            "token_budget": { "type": "integer", "description": "The budget the answer was fitted to (the request's, or the server's maximum when the request asked for more)." },
            "did_truncate": { "type": "boolean", "description": "True when material was left out; next_cursor continues." },
            "next_cursor": { "type": ["string", "null"], "description": "Pass as cursor, with the other arguments unchanged, for the next page; null on the last page." },
            "budget_note": { "type": "string", "description": "Present when the requested token_budget was clamped to the server's maximum." },
            "references": { "type": "array", "items": { "type": "string" }, "description": "Evidence references the text quotes, in order of first mention (event:<thread>:<seq>, span:<id>, fn:0x<hex>, sample:<index>, stack:<id>), for get_events; as many as the budget leaves room for." }
          },
          "required": ["tokens_used", "token_budget", "did_truncate", "next_cursor"]
        }
        """).RootElement.Clone();

    /// <summary>The tool for <paramref name="definition"/>, answered by <paramref name="server"/>.</summary>
    public static McpServerTool Create(ToolDefinition definition, TraceQueryServer server)
    {
        var function = ToolFunctionFactory.Create(definition,
            arguments => new McpToolInvoker(server, arguments.Services?.GetService(typeof(RequestContext<CallToolRequestParams>)) as RequestContext<CallToolRequestParams>),
            McpJsonUtilities.DefaultOptions);
        var tool = McpServerTool.Create(function, new McpServerToolCreateOptions
        {
            Name = definition.Name,
            Title = definition.Title,
            ReadOnly = true,
            Idempotent = true,
            Destructive = false,
            OpenWorld = false,
            UseStructuredContent = true,
            OutputSchema = OutputSchema,
        });
        return new ArgumentErrorTool(tool);
    }
}
