using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;
using TraceQuery.Summaries.Internals;
using TraceQuery.Text;

namespace TraceQuery.Summaries;

/// <summary>
/// Counts tokens with the real tokenizer of a model (<c>Microsoft.ML.Tokenizers</c> Tiktoken, with the
/// cl100k_base and o200k_base vocabularies shipped as packages, so nothing is downloaded at run time).
/// Tokenizers are expensive to build: each encoding is built once per process and shared. Counts of the two
/// encodings come from the same vocabulary loaded into a compact table (<c>TiktokenRanks</c>: the same counts in a
/// tenth of the start-up time and memory); the library's tokenizer is built only for what that table does not answer
/// (special-token text, surrogates, pieces over 128 bytes, cutting a text that does not fit). Thread-safe.
/// </summary>
public sealed class TokenCounter : ITokenCounter
{
    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> Encodings = new(StringComparer.Ordinal);

    private static readonly (string Name, string Encoding)[] KnownModels =
    [
        ("gpt-4", "cl100k_base"),
        ("gpt-3.5-turbo", "cl100k_base"),
        ("gpt-4o", "o200k_base"),
        ("gpt-4o-mini", "o200k_base"),
        ("gpt-4.1", "o200k_base"),
        ("gpt-4.1-mini", "o200k_base"),
        ("o1", "o200k_base"),
        ("o1-mini", "o200k_base"),
        ("o3", "o200k_base"),
        ("o3-mini", "o200k_base"),
        ("o4-mini", "o200k_base"),
        ("cl100k_base", "cl100k_base"),
        ("o200k_base", "o200k_base"),
    ];

    /// <summary>Built on the first count, not by the constructor: an engine whose requests name other models never builds its default one.</summary>
    private readonly Lazy<Tokenizer> _tokenizer;

    /// <summary>The compact vocabulary of a built-in encoding, loaded on the first count; null for a host's tokenizer.</summary>
    private readonly Lazy<TiktokenRanks?>? _ranks;

    /// <summary>Creates a counter for a model or encoding name (see <see cref="SupportedModels"/>), default <c>gpt-4o</c>.</summary>
    /// <exception cref="ArgumentException">The model is not supported; the message lists the supported names.</exception>
    public TokenCounter(string model = "gpt-4o")
    {
        ArgumentNullException.ThrowIfNull(model);
        string? encoding = EncodingOf(model)
            ?? throw new ArgumentException(UnknownModel(model), nameof(model));
        Model = model;
        Encoding = encoding;
        _tokenizer = Encodings.GetOrAdd(encoding, e => new Lazy<Tokenizer>(() => TiktokenTokenizer.CreateForEncoding(e)));
        _ranks = new Lazy<TiktokenRanks?>(() => TiktokenRanks.For(encoding));
    }

    /// <summary>Wraps a tokenizer the host built itself.</summary>
    public TokenCounter(Tokenizer tokenizer, string model)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentException.ThrowIfNullOrEmpty(model);
        _tokenizer = new Lazy<Tokenizer>(tokenizer);
        Model = model;
        Encoding = model;
    }

    /// <summary>True when the string constructor accepts <paramref name="model"/>.</summary>
    internal static bool IsSupported(string model) => EncodingOf(model) is not null;

    /// <summary>The message for a model the string constructor does not accept.</summary>
    internal static string UnknownModel(string model) => $"Unknown model '{model}'. Supported: {string.Join(", ", SupportedModels)}.";

    /// <summary>Model and encoding names the string constructor accepts.</summary>
    public static IReadOnlyList<string> SupportedModels { get; } = [.. KnownModels.Select(m => m.Name)];

    /// <inheritdoc />
    public string Model { get; }

    /// <summary>The tokenizer encoding behind the model (<c>cl100k_base</c>, <c>o200k_base</c>, or the host's name).</summary>
    public string Encoding { get; }

    /// <summary>The underlying tokenizer.</summary>
    public Tokenizer Tokenizer => _tokenizer.Value;

    /// <inheritdoc />
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
            return 0;
        return _ranks?.Value is { } ranks && ranks.TryCount(text, out int count) ? count : _tokenizer.Value.CountTokens(text);
    }

    /// <inheritdoc />
    public int GetPrefixLengthWithinTokens(string text, int maxTokens, out int tokenCount)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (maxTokens <= 0 || text.Length == 0)
        {
            tokenCount = 0;
            return 0;
        }
        // The whole text fits: no cut to find, so no need for the library's tokenizer.
        if (_ranks?.Value is { } ranks && ranks.TryCount(text, out int whole) && whole <= maxTokens)
        {
            tokenCount = whole;
            return text.Length;
        }
        int index = _tokenizer.Value.GetIndexByTokenCount(text, maxTokens, out string? normalized, out tokenCount);
        // Tiktoken has no normalizer, so the index is into the text itself.
        return normalized is null ? index : Math.Min(index, text.Length);
    }

    private static string? EncodingOf(string model)
    {
        foreach (var (name, encoding) in KnownModels)
        {
            if (string.Equals(name, model, StringComparison.OrdinalIgnoreCase))
                return encoding;
        }
        return null;
    }
}
