using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using TraceQuery.Formats.Internals;

namespace TraceQuery.Formats.Chrome;

/// <summary>
/// The event array parsed in chunks on all cores (issue 18 item 5). A structural scan (strings and escapes tracked)
/// finds split points between top-level elements; each chunk is parsed on a worker by its own
/// <see cref="ChromeEventParser"/> into <see cref="ChromeRecord"/>s, which depend on nothing before them; the records are
/// then applied to the one collector in file order, so pairing, numbering and every count come out as in one pass
/// (<see cref="ChromeEventCollector.Apply"/> is the single-threaded path's own second half). Anything the chunks cannot
/// vouch for (a chunk that fails to parse, an element that is not an object, an array with no closing bracket) is left to
/// the single-threaded read from the start of that chunk, so errors, warnings and their offsets are that read's own.
/// </summary>
/// <remarks>
/// Needs the whole input in memory (<see cref="JsonStream.OpenWholeInput"/>: a memory stream or a mapped file); gzip
/// input is streamed in one pass as before, since chunking it would mean holding the decompressed bytes.
/// </remarks>
internal static class ChromeChunkedEvents
{
    /// <summary>Bytes per chunk at most (a split comes at the first element boundary past it): about four chunks per core.</summary>
    internal const int MaxChunkBytes = 1 << 20;

    /// <summary>Bytes per chunk at least.</summary>
    internal const int MinChunkBytes = 64 << 10;

    private static readonly AsyncLocal<int> Override = new();
    private static readonly AsyncLocal<StrongBox<int>?> Applied = new();

    /// <summary>For tests, in the calling flow only: counts the chunks whose records were applied (null: not counted).</summary>
    internal static StrongBox<int>? ChunksApplied
    {
        get => Applied.Value;
        set => Applied.Value = value;
    }

    /// <summary>
    /// For tests and benchmarks, in the calling flow only: 0 (the default) chunks arrays of at least four chunks on a
    /// machine with <see cref="MinProcessors"/> or more cores; −1 never chunks; a positive number always chunks, at that many bytes per chunk.
    /// </summary>
    internal static int ChunkBytesOverride
    {
        get => Override.Value;
        set => Override.Value = value;
    }

    /// <summary>
    /// Cores needed before the default read chunks. Measured on 2 cores (2026-12-04, quiet machine, 20 MB generated
    /// file): warm, the chunked read took 0.75–0.8× the one-core read's wall time for 1.2× its CPU; but a process's first
    /// reads took about twice the one-core time (BenchmarkDotNet's 5-iteration job: 275–309 ms against 141–151 ms), because
    /// the parse workers fill both cores and the runtime's tier-1 compilation of the parser waits for a core (with
    /// <c>DOTNET_TC_CallCountingDelayMs=0</c> the second read was already fast); under load it gave no gain at all. With
    /// two cores one read in a process, the common case, loses; so two cores read in one pass.
    /// </summary>
    internal const int MinProcessors = 3;

    private static readonly SearchValues<byte> Structural = SearchValues.Create("\"{}[],"u8);

    /// <summary>
    /// Reads as much of the event array as the chunks can vouch for (called just after its <c>[</c>, at array depth
    /// <paramref name="depth"/>) and moves <paramref name="json"/> past it: to the closing <c>]</c>, or to the first element
    /// the single-threaded read must take over. Reads nothing when chunking does not pay or is not possible.
    /// </summary>
    public static void Read(JsonStream json, ChromeEventCollector collector, int depth)
    {
        int setting = Override.Value;
        bool always = setting > 0;
        if (setting < 0 || JsonStream.TwoPassForComparison || (!always && Environment.ProcessorCount < MinProcessors))
            return;
        using var whole = json.OpenWholeInput();
        if (whole is null)
            return;
        long start = json.Position;
        long length = whole.Length;
        if (length > int.MaxValue || (!always && length - start < 4L * MinChunkBytes))
            return;
        int chunkBytes = always ? setting : (int)Math.Clamp((length - start) / (4 * Environment.ProcessorCount), MinChunkBytes, MaxChunkBytes);
        int maxDepth = json.MaxDepth - depth;
        if (maxDepth < 1)
            return;
        var input = whole.Slice(0, (int)length);
        int first = SkipWhitespace(input, (int)start);
        if (first >= input.Length || input[first] != (byte)'{')
            return;

        string path = json.Path;
        // Per read, so nothing outlives it: parsers (their buffers and interned strings) and record lists handed back
        // after their chunk was applied (a fresh list per chunk was garbage on the large object heap).
        var parsers = new ConcurrentBag<ChromeEventParser>();
        var lists = new ConcurrentBag<List<ChromeRecord>>();
        int maxElement = json.MaxValueBytes / 2;
        int window = Math.Max(2, 2 * Environment.ProcessorCount);
        var pending = new Queue<(int Start, Task<List<ChromeRecord>?> Parse)>();
        int chunkStart = first;
        int resumeAt = first;
        bool scanDone = false;
        try
        {
            while (true)
            {
                while (!scanDone && pending.Count < window)
                {
                    int next = NextSplit(input, chunkStart, chunkBytes, out bool isEnd);
                    if (next < 0)
                    {
                        // No closing bracket the scan can find (cut short, or malformed): the rest is read in one pass.
                        scanDone = true;
                        break;
                    }
                    int from = chunkStart, to = next;
                    pending.Enqueue((from, Task.Run(() => ParseChunk(whole, from, to, isEnd, path, maxDepth, maxElement, parsers, lists))));
                    chunkStart = next;
                    scanDone = isEnd;
                }
                if (pending.Count == 0)
                    break;
                var (at, parse) = pending.Dequeue();
                var records = parse.Result;
                if (records is null)
                {
                    resumeAt = at;
                    break;
                }
                if (Applied.Value is { } applied)
                    applied.Value++;
                foreach (ref readonly var record in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(records))
                    collector.Apply(in record, record.Phase == 'P' || record.Samples > 0 ? whole.Slice(record.Offset, record.Length) : default);
                records.Clear();
                lists.Add(records);
                resumeAt = pending.Count > 0 ? pending.Peek().Start : chunkStart;
            }
        }
        finally
        {
            // Workers still running read the mapping: wait for them before it is unmapped.
            while (pending.Count > 0)
                pending.Dequeue().Parse.Wait();
        }
        json.JumpTo(resumeAt, whole);
    }

    /// <summary>Parses the elements in <c>[from, to)</c>; null when anything is not as the one-pass read would accept it.</summary>
    private static List<ChromeRecord>? ParseChunk(WholeInput whole, int from, int to, bool last, string path, int maxDepth, int maxElement,
        ConcurrentBag<ChromeEventParser> parsers, ConcurrentBag<List<ChromeRecord>> lists)
    {
        if (!parsers.TryTake(out var parser))
            parser = new ChromeEventParser(new FunctionNames());
        try
        {
            var chunk = whole.Slice(from, to - from);
            if (!lists.TryTake(out var records))
                records = new List<ChromeRecord>(Math.Max(16, chunk.Length / 128));
            var options = new JsonReaderOptions { MaxDepth = maxDepth };
            int i = SkipWhitespace(chunk, 0);
            bool afterComma = false;
            while (i < chunk.Length)
            {
                if (chunk[i] != (byte)'{')
                    return null;
                // The reader finds the element's end itself (it stops after the closing brace): no second scan.
                var span = chunk[i..];
                var values = new JsonValues(new Utf8JsonReader(span, isFinalBlock: true, new JsonReaderState(options)), span, from + i, path, "a trace event");
                parser.Parse(ref values, from + i, 0, out var record);
                int end = (int)values.Reader.BytesConsumed;
                if (values.Reader.TokenType != JsonTokenType.EndObject || values.Reader.CurrentDepth != 0 || end > maxElement)
                    return null;
                record.Length = end;
                records.Add(record);
                i = SkipWhitespace(chunk, i + end);
                afterComma = i < chunk.Length && chunk[i] == (byte)',';
                if (afterComma)
                    i = SkipWhitespace(chunk, i + 1);
            }
            // A chunk ends where the next element starts (after a comma) or at the closing bracket (after an element).
            return afterComma != last && records.Count > 0 ? records : null;
        }
        catch (Exception e) when (e is JsonException or TraceFormatException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            return null;
        }
        finally
        {
            parsers.Add(parser);
        }
    }

    /// <summary>
    /// From <paramref name="from"/> (the start of an element), the start of the first element at least
    /// <paramref name="minBytes"/> further on that follows a top-level comma, or (<paramref name="isEnd"/>) the position of
    /// the array's closing bracket; −1 when neither is found (the input ends, or its brackets do not balance).
    /// </summary>
    internal static int NextSplit(ReadOnlySpan<byte> s, int from, int minBytes, out bool isEnd)
    {
        isEnd = false;
        int depth = 0;
        int i = from;
        long splitFrom = (long)from + minBytes;
        while (true)
        {
            int k = s[i..].IndexOfAny(Structural);
            if (k < 0)
                return -1;
            i += k;
            switch (s[i])
            {
                case (byte)'"':
                    i = JsonStream.ClosingQuote(s, i);
                    if (i < 0)
                        return -1;
                    break;
                case (byte)'{' or (byte)'[':
                    depth++;
                    break;
                case (byte)'}':
                    if (--depth < 0)
                        return -1;
                    break;
                case (byte)']':
                    if (depth == 0)
                    {
                        isEnd = true;
                        return i;
                    }
                    depth--;
                    break;
                default:
                    if (depth == 0 && i >= splitFrom)
                    {
                        int next = SkipWhitespace(s, i + 1);
                        if (next < s.Length && s[next] == (byte)'{')
                            return next;
                    }
                    break;
            }
            i++;
        }
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> s, int i)
    {
        while (i < s.Length && s[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            i++;
        return i;
    }
}
