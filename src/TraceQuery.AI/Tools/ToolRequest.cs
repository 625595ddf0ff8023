using System.Text.Json.Nodes;

namespace TraceQuery.Tools;

/// <summary>A tool call turned into a <see cref="TraceQuery.Protocol.TraceQueryServer"/> request: the method and its named parameters (nulls are left out when sent).</summary>
/// <param name="Method">The server method, e.g. <c>narration.summary</c>.</param>
/// <param name="Parameters">The named parameters in the tool's order; <c>token_budget</c> among them.</param>
internal sealed record ToolRequest(string Method, IReadOnlyList<KeyValuePair<string, JsonNode?>> Parameters)
{
    /// <summary>The <c>token_budget</c> the caller asked for.</summary>
    public int TokenBudget => Parameters.FirstOrDefault(p => p.Key == "token_budget").Value?.GetValue<int>() ?? 4096;

    /// <summary>The same request with <c>token_budget</c> replaced by <paramref name="budget"/>.</summary>
    public ToolRequest WithTokenBudget(int budget) =>
        this with { Parameters = [.. Parameters.Select(p => p.Key == "token_budget" ? new KeyValuePair<string, JsonNode?>(p.Key, budget) : p)] };
}
