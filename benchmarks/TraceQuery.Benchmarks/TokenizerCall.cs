using TraceQuery.Text;

namespace TraceQuery.Benchmarks;

/// <summary>One recorded tokenizer call.</summary>
/// <param name="Text">The text counted or cut.</param>
/// <param name="MaxTokens">The token limit of a prefix cut, or -1 for a plain count.</param>
public readonly record struct TokenizerCall(string Text, int MaxTokens)
{
    /// <summary>Makes the same call on <paramref name="counter"/>; returns the count or the prefix length.</summary>
    public int Replay(ITokenCounter counter) =>
        MaxTokens < 0 ? counter.CountTokens(Text) : counter.GetPrefixLengthWithinTokens(Text, MaxTokens, out _);
}
