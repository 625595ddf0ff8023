using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TraceQuery.Protocol;
using TraceQuery.Tools;

namespace TraceQuery.Mcp.Internals;

/// <summary>
/// The MCP surface: the budgeted text as the first content block, a clamped budget said in a block of its own, and the
/// answer's metadata as structured content. The budget covers all three: the text is asked for with the budget minus
/// what the note and the structured content will take, and asked again, shorter, in the rare case the estimate was short.
/// Progress is reported when the client sent a progress token; cancellation reaches the server, which drops the work.
/// </summary>
internal sealed partial class McpToolInvoker(TraceQueryServer server, RequestContext<CallToolRequestParams>? request) : IToolInvoker
{
    /// <summary>Tries of the text budget before giving up (the second nearly always fits: it is cut by the measured excess).</summary>
    private const int Attempts = 4;

    /// <summary>
    /// Tokens added to a stated minimum budget: the server's own minimum moves by a token or two with the budget (the
    /// cursor in its notice encodes the page's budget), and a minimum the client is told must work when asked for.
    /// </summary>
    private const int MinimumMargin = 8;

    /// <summary>A cursor of a few pages, for the estimate (the real one is measured).</summary>
    private const string EstimateCursor = "tq1.AAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    public async Task<object?> InvokeAsync(ToolRequest toolRequest, CancellationToken cancellationToken)
    {
        int requested = toolRequest.TokenBudget;
        int maximum = server.Options.MaxTokenBudget;
        int budget = Math.Min(requested, maximum);
        string? budgetNote = requested > maximum ? $"token_budget {requested} was clamped to the server's maximum of {maximum}" : null;
        string? noteText = budgetNote is null ? null : "Note: " + budgetNote + ".";
        string? model = toolRequest.Parameters.FirstOrDefault(p => p.Key == "model").Value?.GetValue<string>();
        var progress = McpProgress.For(request);
        var counter = TokenCounters.For(model);
        if (counter is null || requested < 1)
        {
            // An unknown model or a budget below 1: the server says what is wrong, in its own words.
            var refused = await ServerCall.SendAsync(server, toolRequest.Method, toolRequest.Parameters, cancellationToken, progress).ConfigureAwait(false);
            if (refused.IsError)
                return Error(refused.Text);
            counter = TokenCounters.For(refused.Fields["model"]?.GetValue<string>()) ?? TokenCounters.For(null)!;
        }
        int noteTokens = noteText is null ? 0 : counter.CountTokens(noteText);
        int reserve = noteTokens + StructuredAnswer.Build(counter, 0, 0, int.MaxValue, true, EstimateCursor, budgetNote, []).TokensUsed + ReferenceRoom(budget);
        int textBudget = budget - reserve;
        for (int attempt = 0; attempt < Attempts && textBudget >= 1; attempt++)
        {
            var reply = await ServerCall.SendAsync(server, toolRequest.Method, toolRequest.WithTokenBudget(textBudget).Parameters, cancellationToken, progress).ConfigureAwait(false);
            if (reply.IsError)
                return Error(TooSmall(reply, requested, budget - textBudget) ?? reply.Text);
            int textTokens = reply.Fields["tokens_used"]!.GetValue<int>();
            string? nextCursor = reply.Fields["next_cursor"]?.GetValue<string>();
            bool didTruncate = reply.Fields["did_truncate"]!.GetValue<bool>();
            var structured = StructuredAnswer.Build(counter, textTokens, noteTokens, budget, didTruncate, nextCursor, budgetNote, StructuredAnswer.References(reply.Text));
            if (structured.TokensUsed <= budget)
                return Success(reply.Text, noteText, structured.Json);
            textBudget -= structured.TokensUsed - budget;
        }
        return Error($"Invalid params: 'token_budget' {requested} leaves no room for an answer beside its structured content ({reserve} tokens); ask for a larger budget.");
    }

    /// <summary>Tokens kept for references: none under 1,000 (the text needs them more), then 5% up to 200.</summary>
    private static int ReferenceRoom(int budget) => budget < 1000 ? 0 : Math.Min(budget / 20, 200);

    /// <summary>The server's "budget below the minimum" refusal, restated for the budget the client asked for.</summary>
    private static string? TooSmall(ServerReply reply, int requested, int reserved)
    {
        if (reply.Fields["data"]?["parameter"]?.GetValue<string>() != "token_budget" || AtLeast().Match(reply.Text) is not { Success: true } match)
            return null;
        int text = int.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
        int minimum = text + reserved + MinimumMargin;
        return $"Invalid params: 'token_budget' A budget of {requested} tokens is below the minimum of {minimum} for this trace and query: "
            + $"the headline and the truncation notice need about {text} and the structured content of the result {reserved}. Ask for at least {minimum}.";
    }

    private static CallToolResult Success(string text, string? noteText, string structuredJson)
    {
        var result = new CallToolResult
        {
            Content = [new TextContentBlock { Text = text }],
            StructuredContent = JsonElementOf(structuredJson),
        };
        if (noteText is not null)
            result.Content.Add(new TextContentBlock { Text = noteText });
        return result;
    }

    private static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    private static JsonElement JsonElementOf(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [GeneratedRegex(@"Ask for at least (\d+)\.")]
    private static partial Regex AtLeast();
}
