using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.IO.Hashing;
using System.IO.MemoryMappedFiles;
using System.Numerics;
using System.Runtime.CompilerServices;
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
/// to a cache directory (<see cref="DefaultCacheDirectory"/>) and mapped read-only by later processes, which use it in
/// place and so skip the inflate, the parse and any copy (a command line's start-up: <c>benchmarks/results/CliStartup.md</c>).
/// </summary>
internal sealed unsafe partial class TiktokenRanks
{
    /// <summary>Longest piece merged here; the library switches to a heap-based merge above this length.</summary>
    private const int MaxPieceBytes = 128;

    private static readonly ConcurrentDictionary<string, Lazy<TiktokenRanks>> Loaded = new(StringComparer.Ordinal);

    /// <summary>What the pointers below point into, kept alive with the table: pinned arrays (parsed) or a read-only file mapping (cached).</summary>
    private readonly object _owner;

    private readonly byte* _bytes;
    private readonly int* _starts;
    private readonly int* _ranks;
    private readonly int* _slots;
    private readonly int _count;
    private readonly int _slotCount;
    private readonly int _byteCount;
    private readonly int _mask;
    private readonly Regex _pattern;

    /// <summary>A table over memory that <paramref name="owner"/> keeps alive; the caller has checked that every slot and start is in range.</summary>
    private TiktokenRanks(object owner, byte* bytes, int byteCount, int* starts, int* ranks, int count, int* slots, int slotCount, Regex pattern)
    {
        _owner = owner;
        _bytes = bytes;
        _byteCount = byteCount;
        _starts = starts;
        _ranks = ranks;
        _count = count;
        _slots = slots;
        _slotCount = slotCount;
        _mask = slotCount - 1;
        _pattern = pattern;
    }

    /// <summary>A table over freshly parsed entries: copied into pinned arrays, the hash slots filled here.</summary>
    private static TiktokenRanks FromEntries(ReadOnlySpan<byte> tokenBytes, ReadOnlySpan<int> tokenStarts, ReadOnlySpan<int> tokenRanks, Regex pattern)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(tokenBytes.Length, pinned: true);
        var starts = GC.AllocateUninitializedArray<int>(tokenStarts.Length, pinned: true);
        var ranks = GC.AllocateUninitializedArray<int>(tokenRanks.Length, pinned: true);
        tokenBytes.CopyTo(bytes);
        tokenStarts.CopyTo(starts);
        tokenRanks.CopyTo(ranks);
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, ranks.Length * 2));
        int mask = size - 1;
        var slots = GC.AllocateArray<int>(size, pinned: true);
        for (int entry = 0; entry < ranks.Length; entry++)
        {
            var token = bytes.AsSpan(starts[entry], starts[entry + 1] - starts[entry]);
            int slot = Hash(token) & mask;
            while (slots[slot] != 0)
                slot = (slot + 1) & mask;
            slots[slot] = entry + 1;
        }
        return new TiktokenRanks(new object[] { bytes, starts, ranks, slots },
            (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(bytes)), bytes.Length,
            (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(starts)),
            (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(ranks)), ranks.Length,
            (int*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(slots)), slots.Length, pattern);
    }

    private ReadOnlySpan<int> Starts => new(_starts, _count + 1);

    private ReadOnlySpan<int> Ranks => new(_ranks, _count);

    private ReadOnlySpan<int> Slots => new(_slots, _slotCount);

    private ReadOnlySpan<byte> Bytes => new(_bytes, _byteCount);

    /// <summary>The vocabulary of <paramref name="encoding"/> (cl100k_base or o200k_base), loaded once per process; null for any other name.</summary>
    public static TiktokenRanks? For(string encoding) => encoding switch
    {
        "o200k_base" or "cl100k_base" => Loaded.GetOrAdd(encoding, e => new Lazy<TiktokenRanks>(() => Load(e, DefaultCacheDirectory(), out _))).Value,
        _ => null,
    };

    /// <summary>Vocabulary entries (tokens without the special ones).</summary>
    public int Count => _count;

    /// <summary>True when the table is used in place from a mapped cache file, false when it was parsed into arrays.</summary>
    public bool IsMapped => _owner is MappedTable;

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
            int start = _starts[entry];
            if (token.SequenceEqual(new ReadOnlySpan<byte>(_bytes + start, _starts[entry + 1] - start)))
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
        var assembly = type?.Assembly;
        using var compressed = assembly?.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The vocabulary resource {resource} was not found (is the Microsoft.ML.Tokenizers data package for {encoding} referenced?).");
        // The file is named by the data assembly's identity (name, version, public key) and the resource's length, so
        // another package version never reads this table; naming it by the resource's own bytes would read and hash
        // 2-3 MB on every start (a command line's whole summary is a few times that: benchmarks/results/CliStartup.md).
        string? cacheFile = cacheDirectory is null || !BitConverter.IsLittleEndian
            ? null
            : Path.Combine(cacheDirectory, $"{encoding}-{XxHash3.HashToUInt64(Encoding.UTF8.GetBytes($"{assembly.FullName}|{resource}|{compressed.Length}")):x16}.tqranks");
        if (cacheFile is not null && TryRead(cacheFile, pattern) is { } cached)
        {
            fromCache = true;
            return cached;
        }
        fromCache = false;
        var source = new byte[compressed.Length];
        compressed.ReadExactly(source);
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
        return FromEntries(bytes.AsSpan(0, written), CollectionsMarshal.AsSpan(starts), CollectionsMarshal.AsSpan(ranks), pattern);
    }

    // Serialized form, little-endian: "TQRANKS1", entry count, slot count, byte count, reserved, XxHash3 of the payload;
    // then the payload: starts (count + 1), ranks (count), slots, token bytes.
    private static ReadOnlySpan<byte> Magic => "TQRANKS1"u8;

    private const int HeaderBytes = 32;

    /// <summary>
    /// Maps a serialized table read-only and uses it in place: no copy and no fresh memory to clear, only the pages the
    /// checksum and the structure check read (from the page cache, shared between processes). The mapping lives as long
    /// as the table (the process, for <see cref="For"/>). The cache is written by rename, never in place, so a mapped file
    /// does not change under a reader.
    /// </summary>
    private static TiktokenRanks? TryRead(string path, Regex pattern)
    {
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        try
        {
            if (!File.Exists(path))
                return null;
            long length;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1))
            {
                length = stream.Length;
                if (length < HeaderBytes || length > int.MaxValue)
                    return null;
                map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            }
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* file = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref file);
            file += view.PointerOffset;
            var table = FromMapping(new MappedTable(map, view), file, (int)length, pattern);
            if (table is null)
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            else
                (map, view) = (null, null);
            return table;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        finally
        {
            view?.Dispose();
            map?.Dispose();
        }
    }

    /// <summary>The table in a serialized file's bytes, or null when its header, length, checksum or structure is wrong.</summary>
    private static TiktokenRanks? FromMapping(MappedTable owner, byte* file, int length, Regex pattern)
    {
        var whole = new ReadOnlySpan<byte>(file, length);
        if (!whole[..8].SequenceEqual(Magic))
            return null;
        long count = BinaryPrimitives.ReadInt32LittleEndian(whole[8..]);
        long slotCount = BinaryPrimitives.ReadInt32LittleEndian(whole[12..]);
        long byteCount = BinaryPrimitives.ReadInt32LittleEndian(whole[16..]);
        if (count <= 0 || slotCount <= count || !BitOperations.IsPow2(slotCount) || byteCount <= 0
            || HeaderBytes + (count + 1 + count + slotCount) * 4 + byteCount != length)
            return null;
        var payload = whole[HeaderBytes..];
        if (XxHash3.HashToUInt64(payload) != BinaryPrimitives.ReadUInt64LittleEndian(whole[24..]))
            return null;
        // The header is 32 bytes and the mapping page-aligned, so the int arrays are aligned.
        int* starts = (int*)(file + HeaderBytes);
        var table = new TiktokenRanks(owner, (byte*)(starts + count + 1 + count + slotCount), (int)byteCount,
            starts, starts + count + 1, (int)count, starts + count + 1 + count, (int)slotCount, pattern);
        // Offsets that stay inside the bytes and slots that name entries: a table that passed its checksum but not this is refused.
        var checkedStarts = table.Starts;
        if (checkedStarts[0] != 0 || checkedStarts[^1] != byteCount)
            return null;
        for (int i = 1; i < checkedStarts.Length; i++)
        {
            if (checkedStarts[i] <= checkedStarts[i - 1])
                return null;
        }
        foreach (int slot in table.Slots)
        {
            if ((uint)slot > (uint)count)
                return null;
        }
        return table;
    }

    /// <summary>Keeps a cached table's file mapping alive as long as the table.</summary>
    private sealed class MappedTable(MemoryMappedFile map, MemoryMappedViewAccessor view)
    {
        public MemoryMappedFile Map { get; } = map;

        public MemoryMappedViewAccessor View { get; } = view;
    }

    private void TryWrite(string path)
    {
        int payloadLength = (_count + 1 + _count + _slotCount) * 4 + _byteCount;
        var file = new byte[HeaderBytes + payloadLength];
        Magic.CopyTo(file);
        var header = MemoryMarshal.Cast<byte, int>(file.AsSpan(8, 16));
        header[0] = _count;
        header[1] = _slotCount;
        header[2] = _byteCount;
        var payload = file.AsSpan(HeaderBytes);
        MemoryMarshal.AsBytes(Starts).CopyTo(payload);
        MemoryMarshal.AsBytes(Ranks).CopyTo(payload[((_count + 1) * 4)..]);
        MemoryMarshal.AsBytes(Slots).CopyTo(payload[((_count + 1 + _count) * 4)..]);
        Bytes.CopyTo(payload[((_count + 1 + _count + _slotCount) * 4)..]);
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
