using System.Collections.Concurrent;
using TraceQuery.Summaries;

namespace TraceQuery.Mcp.Internals;

/// <summary>One <see cref="TokenCounter"/> per model name, made on first use and shared (a tokenizer is costly to create and thread-safe to use).</summary>
internal static class TokenCounters
{
    private static readonly ConcurrentDictionary<string, TokenCounter?> ByModel = new(StringComparer.Ordinal);

    /// <summary>The counter for <paramref name="model"/> (gpt-4o when null), or null when no tokenizer is known for it.</summary>
    public static TokenCounter? For(string? model) =>
        ByModel.GetOrAdd(model ?? "gpt-4o", static name =>
        {
            try
            {
                return new TokenCounter(name);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException)
            {
                return null;
            }
        });
}
