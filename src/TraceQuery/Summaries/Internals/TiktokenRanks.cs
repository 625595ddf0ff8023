using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace TraceQuery.Summaries.Internals;

/// <summary>
/// Token counts of the cl100k_base and o200k_base encodings without building <c>Microsoft.ML.Tokenizers</c>'
/// <c>TiktokenTokenizer</c>: the same vocabulary bytes (the data packages' embedded resource), loaded into one flat
/// byte array and an open-addressing table instead of three dictionaries and 200,000 strings (about a tenth of the
/// time and memory), the same pre-tokenizer pattern, and tiktoken's byte-pair merge. It answers only what it
/// answers exactly as the library does (the tests compare both on real and random text); for anything else —
/// special-token text, unpaired surrogates or U+FFFD, a piece longer than 128 bytes — <see cref="TryCount"/>
/// returns false and the caller counts with the library's tokenizer.
/// </summary>
internal sealed partial class TiktokenRanks
{
    /// <summary>Longest piece merged here; the library switches to a heap-based merge above this length.</summary>
    private const int MaxPieceBytes = 128;

    private static readonly ConcurrentDictionary<string, Lazy<TiktokenRanks>> Loaded = new(StringComparer.Ordinal);

    private readonly byte[] _bytes;
    private readonly int[] _starts;
    private readonly int[] _ranks;
    private readonly int[] _slots;
    private readonly int _mask;
    private readonly Regex _pattern;

    private TiktokenRanks(byte[] bytes, int[] starts, int[] ranks, int count, Regex pattern)
    {
        _bytes = bytes;
        _starts = starts;
        _ranks = ranks;
        _pattern = pattern;
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2));
        _mask = size - 1;
        _slots = new int[size];
        for (int entry = 0; entry < count; entry++)
        {
            var token = bytes.AsSpan(starts[entry], starts[entry + 1] - starts[entry]);
            int slot = Hash(token) & _mask;
            while (_slots[slot] != 0)
                slot = (slot + 1) & _mask;
            _slots[slot] = entry + 1;
        }
    }

    /// <summary>The vocabulary of <paramref name="encoding"/> (cl100k_base or o200k_base), loaded once per process; null for any other name.</summary>
    public static TiktokenRanks? For(string encoding) => encoding switch
    {
        "o200k_base" or "cl100k_base" => Loaded.GetOrAdd(encoding, e => new Lazy<TiktokenRanks>(() => Load(e))).Value,
        _ => null,
    };

    /// <summary>Vocabulary entries (tokens without the special ones).</summary>
    public int Count => _ranks.Length;

    /// <summary>The token count of <paramref name="text"/> as the library's tokenizer counts it; false when this counter does not answer that text.</summary>
    public bool TryCount(string text, out int count)
    {
        count = 0;
        if (text.Length == 0)
            return true;
        if (!Answers(text))
            return false;
        Span<byte> utf8 = stackalloc byte[MaxPieceBytes];
        foreach (var match in _pattern.EnumerateMatches(text))
        {
            var piece = text.AsSpan(match.Index, match.Length);
            if (Encoding.UTF8.GetByteCount(piece) > MaxPieceBytes)
                return false;
            int length = Encoding.UTF8.GetBytes(piece, utf8);
            count += PieceCount(utf8[..length]);
        }
        return true;
    }

    /// <summary>The rank of <paramref name="token"/>, or -1 when it is not in the vocabulary.</summary>
    public int Rank(ReadOnlySpan<byte> token)
    {
        int slot = Hash(token) & _mask;
        while (true)
        {
            int entry = _slots[slot] - 1;
            if (entry < 0)
                return -1;
            if (token.SequenceEqual(_bytes.AsSpan(_starts[entry], _starts[entry + 1] - _starts[entry])))
                return _ranks[entry];
            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>
    /// Text this counter answers: no special-token markup (the library splits those out as single tokens), no
    /// surrogates and no U+FFFD (the library's whole-piece lookup skips vocabulary entries that decode to U+FFFD).
    /// </summary>
    private static bool Answers(string text) =>
        !text.Contains("<|", StringComparison.Ordinal) && text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 && !text.Contains('\uFFFD');

    /// <summary>Tokens of one pre-tokenized piece: one when it is a vocabulary entry, else tiktoken's byte-pair merge (lowest rank first, leftmost on ties).</summary>
    private int PieceCount(ReadOnlySpan<byte> piece)
    {
        if (piece.Length <= 1 || Rank(piece) >= 0)
            return 1;
        // parts[i] = (start of part i, rank of merging part i with part i+1); the last entry marks the end.
        Span<(int Start, int Rank)> parts = stackalloc (int, int)[MaxPieceBytes + 1];
        parts = parts[..(piece.Length + 1)];
        for (int i = 0; i < parts.Length; i++)
            parts[i] = (i, int.MaxValue);
        for (int i = 0; i < parts.Length - 2; i++)
            parts[i].Rank = PairRank(piece, parts, i, 0);
        while (parts.Length > 1)
        {
            int best = -1, bestRank = int.MaxValue;
            for (int i = 0; i < parts.Length - 1; i++)
            {
                if (parts[i].Rank < bestRank)
                {
                    bestRank = parts[i].Rank;
                    best = i;
                }
            }
            if (best < 0)
                break;
            parts[best].Rank = PairRank(piece, parts, best, 1);
            if (best > 0)
                parts[best - 1].Rank = PairRank(piece, parts, best - 1, 1);
            parts[(best + 2)..].CopyTo(parts[(best + 1)..]);
            parts = parts[..^1];
        }
        return parts.Length - 1;
    }

    private int PairRank(ReadOnlySpan<byte> piece, Span<(int Start, int Rank)> parts, int start, int skip)
    {
        if (start + skip + 2 >= parts.Length)
            return int.MaxValue;
        int rank = Rank(piece[parts[start].Start..parts[start + skip + 2].Start]);
        return rank < 0 ? int.MaxValue : rank;
    }

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        uint hash = 2166136261;
        foreach (byte b in bytes)
            hash = (hash ^ b) * 16777619;
        return (int)(hash ^ (hash >> 15));
    }

    private static TiktokenRanks Load(string encoding)
    {
        // The data packages' own resource (what TiktokenTokenizer.CreateForEncoding reads): "base64 rank" lines after a
        // "Capacity: N" line, deflate-compressed. Type.GetType with a constant keeps the data assembly under trimming.
        var (type, resource, pattern) = encoding == "o200k_base"
            ? (Type.GetType("Microsoft.ML.Tokenizers.O200kBaseTokenizerData, Microsoft.ML.Tokenizers.Data.O200kBase"), "o200k_base.tiktoken.deflate", O200kPattern())
            : (Type.GetType("Microsoft.ML.Tokenizers.Cl100kBaseTokenizerData, Microsoft.ML.Tokenizers.Data.Cl100kBase"), "cl100k_base.tiktoken.deflate", Cl100kPattern());
        using var compressed = type?.Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The vocabulary resource {resource} was not found (is the Microsoft.ML.Tokenizers data package for {encoding} referenced?).");
        using var inflated = new DeflateStream(compressed, CompressionMode.Decompress);
        using var text = new MemoryStream();
        inflated.CopyTo(text);
        var lines = text.GetBuffer().AsSpan(0, (int)text.Length);

        // Decoded tokens are shorter than their base64 lines, so the line bytes bound the flat array. As in the library:
        // a line without a space is ranked by its line number (counting empty lines after the first token), one with a
        // space is "base64 rank".
        var bytes = new byte[lines.Length];
        var starts = new List<int>(210_000) { 0 };
        var ranks = new List<int>(210_000);
        int written = 0, lineNumber = 0;
        bool started = false;
        while (!lines.IsEmpty)
        {
            int end = lines.IndexOf((byte)'\n');
            var line = end < 0 ? lines : lines[..end];
            lines = end < 0 ? [] : lines[(end + 1)..];
            if (line.Length > 0 && line[^1] == '\r')
                line = line[..^1];
            if (!started && (line.IsEmpty || line.StartsWith("Capacity: "u8)))
                continue;
            started = true;
            int number = lineNumber++;
            if (line.IsEmpty)
                continue;
            int space = line.IndexOf((byte)' ');
            int rank = number;
            if (space >= 0 && (!Utf8Parser.TryParse(line[(space + 1)..], out rank, out int consumed) || consumed != line.Length - space - 1))
                throw new InvalidOperationException($"The vocabulary resource {resource} has a line that is not 'base64' or 'base64 rank'.");
            if (Base64.DecodeFromUtf8(space >= 0 ? line[..space] : line, bytes.AsSpan(written), out _, out int length) != OperationStatus.Done)
                throw new InvalidOperationException($"The vocabulary resource {resource} has a line that is not base64.");
            written += length;
            starts.Add(written);
            ranks.Add(rank);
        }
        return new TiktokenRanks(bytes, [.. starts], [.. ranks], ranks.Count, pattern);
    }

    // The pre-tokenizer patterns of Microsoft.ML.Tokenizers 2.0 (from tiktoken's openai_public.py); the tests compare
    // the pieces with the library tokenizer's PreTokenizer on the same texts.
    [GeneratedRegex(@"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+")]
    private static partial Regex O200kPattern();

    [GeneratedRegex(@"'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)(?>\p{L}+)|(?>\p{N}{1,3})| ?(?>[^\s\p{L}\p{N}]+)(?>[\r\n]*)|(?>\s+)$|\s*[\r\n]|\s+(?!\S)|\s")]
    private static partial Regex Cl100kPattern();
}
