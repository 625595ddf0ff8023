namespace TraceQuery.Formats.Internals;

/// <summary>
/// The envelope around a trace file's content: a gzip file is decompressed on the fly (detected by its magic
/// bytes 1F 8B, not its name), anything else is read as it is. A UTF-8 byte order mark is skipped by the JSON
/// layer (<see cref="JsonStream"/>) and by <see cref="TraceFile.DetectFormat(ReadOnlySpan{byte})"/>, so it works
/// inside a gzip file too.
/// </summary>
internal static class TraceContent
{
    /// <summary>
    /// Opens <paramref name="path"/> for one forward pass over its content; <paramref name="gzip"/> is the
    /// decompressing stream when the file is gzip (its <see cref="GzipMemberStream.Failure"/> tells envelope
    /// errors apart), else null.
    /// </summary>
    public static Stream OpenRead(string path, long maxDecompressedBytes, out GzipMemberStream? gzip)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            gzip = read == 2 && GzipMemberStream.IsGzip(magic) ? new GzipMemberStream(file, path, maxDecompressedBytes) : null;
            return gzip ?? (Stream)file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// For a file whose content was not recognised: when it is gzip, decompresses it all (within the limit)
    /// and returns the error that says how the gzip file is damaged or cut short, else null.
    /// </summary>
    public static TraceFormatException? IsDamagedGzip(string path, JsonTraceReadOptions? options)
    {
        using var stream = OpenRead(path, (options ?? JsonTraceReadOptions.Default).MaxDecompressedBytes, out var gzip);
        if (gzip is null)
            return null;
        try
        {
            var buffer = new byte[64 * 1024];
            while (gzip.Read(buffer) > 0)
            {
            }
        }
        catch (TraceFormatException e)
        {
            return e;
        }
        return null;
    }

    /// <summary>
    /// Fills <paramref name="head"/> with the first bytes of the file's content (decompressed when it is gzip)
    /// and returns how many there were. A damaged gzip file gives what could be decompressed before the damage.
    /// </summary>
    public static int ReadHead(string path, Span<byte> head)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        int length = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (length < 2 || !GzipMemberStream.IsGzip(head))
            return length;
        file.Position = 0;
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true);
        int total = 0;
        try
        {
            int read;
            while (total < head.Length && (read = gzip.Read(head[total..])) > 0)
                total += read;
        }
        catch (InvalidDataException)
        {
            // Damaged deflate data: sniff what came out before it; opening the file reports the damage.
        }
        return total;
    }
}
