using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using TraceQuery.Summaries;

namespace TraceQuery.Mcp.Internals;

/// <summary>
/// The structured content of a tool result and the count of everything the result gives the model: the answer's text, the
/// clamp note, and this JSON (compact, written exactly as counted). References the text quotes are added while they fit.
/// </summary>
internal static partial class StructuredAnswer
{
    /// <summary>At most this many references, whatever the budget.</summary>
    public const int MaxReferences = 50;

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The structured content and <c>tokens_used</c>, which counts the text, the note and the JSON itself.</summary>
    public readonly record struct Result(string Json, int TokensUsed);

    /// <summary>
    /// Builds the structured content with as many of the text's references as keep the total within <paramref name="budget"/>
    /// (none when even the bare metadata does not fit: the caller then asks for a shorter text).
    /// </summary>
    public static Result Build(TokenCounter counter, int textTokens, int noteTokens, int budget, bool didTruncate, string? nextCursor, string? budgetNote, IReadOnlyList<string> references)
    {
        int count = references.Count;
        while (true)
        {
            var result = Measure(counter, textTokens + noteTokens, budget, didTruncate, nextCursor, budgetNote, references, count);
            if (result.TokensUsed <= budget || count == 0)
                return result;
            count--;
        }
    }

    /// <summary>
    /// The JSON with <c>tokens_used</c> equal to its own count plus <paramref name="otherTokens"/> (a fixed point: the number's
    /// own digits are counted). Should the count flip between two values, the larger is stated: an over-count keeps the budget.
    /// </summary>
    private static Result Measure(TokenCounter counter, int otherTokens, int budget, bool didTruncate, string? nextCursor, string? budgetNote, IReadOnlyList<string> references, int count)
    {
        int used = otherTokens;
        int largest = used;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            string json = Write(used, budget, didTruncate, nextCursor, budgetNote, references, count);
            int actual = otherTokens + counter.CountTokens(json);
            if (actual == used)
                return new Result(json, used);
            used = actual;
            largest = Math.Max(largest, actual);
        }
        while (true)
        {
            string json = Write(largest, budget, didTruncate, nextCursor, budgetNote, references, count);
            int actual = otherTokens + counter.CountTokens(json);
            if (actual <= largest)
                return new Result(json, largest);
            largest = actual;
        }
    }

    private static string Write(int tokensUsed, int budget, bool didTruncate, string? nextCursor, string? budgetNote, IReadOnlyList<string> references, int count)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Compact))
        {
            w.WriteStartObject();
            w.WriteNumber("tokens_used", tokensUsed);
            w.WriteNumber("token_budget", budget);
            w.WriteBoolean("did_truncate", didTruncate);
            if (nextCursor is null)
                w.WriteNull("next_cursor");
            else
                w.WriteString("next_cursor", nextCursor);
            if (budgetNote is not null)
                w.WriteString("budget_note", budgetNote);
            if (count > 0)
            {
                w.WriteStartArray("references");
                for (int i = 0; i < count; i++)
                    w.WriteStringValue(references[i]);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The evidence references <paramref name="text"/> quotes (event:, span:, fn:, sample:, stack:, each possibly after trace:&lt;name&gt;:), distinct, in order of first mention, at most <see cref="MaxReferences"/>.</summary>
    public static IReadOnlyList<string> References(string text)
    {
        var found = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Reference().Matches(text))
        {
            if (seen.Add(match.Value))
                found.Add(match.Value);
            if (found.Count == MaxReferences)
                break;
        }
        return found;
    }

    [GeneratedRegex(@"(?<![\w:])(?:trace:[^\s:]+:)?(?:event:\d+:\d+|span:\d+|fn:0x[0-9a-f]{16}|sample:\d+|stack:\d+)\b")]
    private static partial Regex Reference();
}
