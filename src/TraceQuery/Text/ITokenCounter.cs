namespace TraceQuery.Text;

/// <summary>Counts the tokens a model's tokenizer makes of a text. Implementations are thread-safe.</summary>
public interface ITokenCounter
{
    /// <summary>The model or encoding the counts are for (e.g. <c>gpt-4o</c>).</summary>
    string Model { get; }

    /// <summary>The number of tokens of <paramref name="text"/>.</summary>
    int CountTokens(string text);

    /// <summary>
    /// The length of the longest prefix of <paramref name="text"/> that fits in <paramref name="maxTokens"/>
    /// tokens, and how many tokens that prefix has.
    /// </summary>
    int GetPrefixLengthWithinTokens(string text, int maxTokens, out int tokenCount);
}
