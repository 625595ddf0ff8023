using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;
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
/// returns false and the caller counts with the library's tokenizer. The filled table is also written, checksummed,
/// to a cache directory (<see cref="DefaultCacheDirectory"/>) and read back by later processes, which then skip the
/// inflate and parse (a command line's start-up: <c>benchmarks/results/CliStartup.md</c>).
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

    private TiktokenRanks(byte[] bytes, int[] starts, int[] ranks, int[]? slots, Regex pattern)
    {
        _bytes = bytes;
        _starts = starts;
        _ranks = ranks;
        _pattern = pattern;
        if (slots is not null)
        {
            _slots = slots;
            _mask = slots.Length - 1;
            return;
        }
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, ranks.Length * 2));
        _mask = size - 1;
        _slots = new int[size];
        for (int entry = 0; entry < ranks.Length; entry++)
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
        "o200k_base" or "cl100k_base" => Loaded.GetOrAdd(encoding, e => new Lazy<TiktokenRanks>(() => Load(e, DefaultCacheDirectory(), out _))).Value,
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

    /// <summary>
    /// The directory holding serialized tables: <c>TRACEQUERY_CACHE_DIR</c> (empty or <c>off</c>: none), else
    /// <c>$XDG_CACHE_HOME/tracequery</c>, else <c>~/.cache/tracequery</c> (the local application data folder on Windows).
    /// </summary>
    internal static string? DefaultCacheDirectory()
    {
        string? configured = Environment.GetEnvironmentVariable("TRACEQUERY_CACHE_DIR");
        if (configured is not null)
            return configured.Length == 0 || configured.Equals("off", StringComparison.OrdinalIgnoreCase) ? null : configured;
        if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg)
            return Path.Combine(xdg, "tracequery");
        if (OperatingSystem.IsWindows())
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "tracequery", "cache");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length == 0 ? null : Path.Combine(home, ".cache", "tracequery");
    }

    /// <summary>
    /// Loads <paramref name="encoding"/>'s table: from its serialized form in <paramref name="cacheDirectory"/> when one
    /// is there for exactly these vocabulary bytes and its checksum holds (<paramref name="fromCache"/>), else from the
    /// data package's resource, then written there for the next process (a failed write only costs the next process
    /// the same parse). Null <paramref name="cacheDirectory"/>: no cache.
    /// </summary>
    internal static TiktokenRanks Load(string encoding, string? cacheDirectory, out bool fromCache)
    {
        // The data packages' own resource (what TiktokenTokenizer.CreateForEncoding reads): "base64 rank" lines after a
        // "Capacity: N" line, deflate-compressed. Type.GetType with a constant keeps the data assembly under trimming.
        var (type, resource, pattern) = encoding == "o200k_base"
            ? (Type.GetType("Microsoft.ML.Tokenizers.O200kBaseTokenizerData, Microsoft.ML.Tokenizers.Data.O200kBase"), "o200k_base.tiktoken.deflate", O200kPattern())
            : (Type.GetType("Microsoft.ML.Tokenizers.Cl100kBaseTokenizerData, Microsoft.ML.Tokenizers.Data.Cl100kBase"), "cl100k_base.tiktoken.deflate", Cl100kPattern());
        using var compressed = type?.Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The vocabulary resource {resource} was not found (is the Microsoft.ML.Tokenizers data package for {encoding} referenced?).");
        var source = new byte[compressed.Length];
        compressed.ReadExactly(source);
        // The file is named by the vocabulary's own bytes, so another package version never reads this table.
        string? cacheFile = cacheDirectory is null || !BitConverter.IsLittleEndian
            ? null
            : Path.Combine(cacheDirectory, $"{encoding}-{XxHash3.HashToUInt64(source):x16}.tqranks");
        if (cacheFile is not null && TryRead(cacheFile, pattern) is { } cached)
        {
            fromCache = true;
            return cached;
        }
        fromCache = false;
        var built = Parse(source, resource, pattern);
        if (cacheFile is not null)
            built.TryWrite(cacheFile);
        return built;
    }

    private static TiktokenRanks Parse(byte[] source, string resource, Regex pattern)
    {
        using var inflated = new DeflateStream(new MemoryStream(source), CompressionMode.Decompress);
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
        return new TiktokenRanks(bytes.AsSpan(0, written).ToArray(), [.. starts], [.. ranks], slots: null, pattern);
    }

    // Serialized form, little-endian: "TQRANKS1", entry count, slot count, byte count, reserved, XxHash3 of the payload;
    // then the payload: starts (count + 1), ranks (count), slots, token bytes.
    private static ReadOnlySpan<byte> Magic => "TQRANKS1"u8;

    private const int HeaderBytes = 32;

    private static TiktokenRanks? TryRead(string path, Regex pattern)
    {
        byte[] file;
        try
        {
            if (!File.Exists(path))
                return null;
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        if (file.Length < HeaderBytes || !file.AsSpan(0, 8).SequenceEqual(Magic))
            return null;
        var header = MemoryMarshal.Cast<byte, int>(file.AsSpan(8, 16));
        long count = header[0], slotCount = header[1], byteCount = header[2];
        if (count <= 0 || slotCount <= count || !BitOperations.IsPow2(slotCount) || byteCount <= 0
            || HeaderBytes + (count + 1 + count + slotCount) * 4 + byteCount != file.Length)
            return null;
        var payload = file.AsSpan(HeaderBytes);
        if (XxHash3.HashToUInt64(payload) != BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(24, 8)))
            return null;
        var ints = MemoryMarshal.Cast<byte, int>(payload[..(int)((count + 1 + count + slotCount) * 4)]);
        int[] starts = ints[..(int)(count + 1)].ToArray();
        int[] ranks = ints.Slice((int)(count + 1), (int)count).ToArray();
        int[] slots = ints[(int)(count + 1 + count)..].ToArray();
        byte[] bytes = payload[(int)((count + 1 + count + slotCount) * 4)..].ToArray();
        // Offsets that stay inside the bytes and slots that name entries: a table that passed its checksum but not this is refused.
        if (starts[0] != 0 || starts[^1] != bytes.Length)
            return null;
        for (int i = 1; i < starts.Length; i++)
        {
            if (starts[i] <= starts[i - 1])
                return null;
        }
        foreach (int slot in slots)
        {
            if ((uint)slot > (uint)count)
                return null;
        }
        return new TiktokenRanks(bytes, starts, ranks, slots, pattern);
    }

    private void TryWrite(string path)
    {
        int payloadLength = (_starts.Length + _ranks.Length + _slots.Length) * 4 + _bytes.Length;
        var file = new byte[HeaderBytes + payloadLength];
        Magic.CopyTo(file);
        var header = MemoryMarshal.Cast<byte, int>(file.AsSpan(8, 16));
        header[0] = _ranks.Length;
        header[1] = _slots.Length;
        header[2] = _bytes.Length;
        var payload = file.AsSpan(HeaderBytes);
        int at = 0;
        foreach (var part in new[] { _starts, _ranks, _slots })
        {
            MemoryMarshal.AsBytes(part.AsSpan()).CopyTo(payload[at..]);
            at += part.Length * 4;
        }
        _bytes.CopyTo(payload[at..]);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(24, 8), XxHash3.HashToUInt64(payload));
        string temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(temporary, file);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only or full cache directory: the next process parses the resource again, nothing worse.
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    // The pre-tokenizer patterns of Microsoft.ML.Tokenizers 2.0 (from tiktoken's openai_public.py); the tests compare
    // the pieces with the library tokenizer's PreTokenizer on the same texts.
    [GeneratedRegex(@"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+")]
    private static partial Regex O200kPattern();

    [GeneratedRegex(@"'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)(?>\p{L}+)|(?>\p{N}{1,3})| ?(?>[^\s\p{L}\p{N}]+)(?>[\r\n]*)|(?>\s+)$|\s*[\r\n]|\s+(?!\S)|\s")]
    private static partial Regex Cl100kPattern();
}
