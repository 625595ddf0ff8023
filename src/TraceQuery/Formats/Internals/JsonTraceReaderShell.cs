using TraceQuery.Model;

namespace TraceQuery.Formats.Internals;

/// <summary>
/// What every streaming JSON trace reader does around its own format's walk: opens the file, puts the
/// <see cref="JsonTraceReadOptions"/> limits on a <see cref="JsonStream"/> over it, and turns what slips past the
/// walk (a string that is not valid UTF-8, events the model cannot hold) into a <see cref="TraceFormatException"/>.
/// The walk itself reads the stream into a collector and builds the trace; syntax errors and the walk's own
/// refusals already carry their byte offset.
/// </summary>
internal static class JsonTraceReaderShell
{
    /// <summary>
    /// Opens <paramref name="path"/> for one sequential pass (decompressing it when it is gzip, see
    /// <see cref="TraceContent"/>) and reads it with <paramref name="readDocument"/>.
    /// </summary>
    /// <param name="path">The file; errors and metadata name its full path.</param>
    /// <param name="options">Limits; null for the defaults.</param>
    /// <param name="allowMultipleValues">True when the format allows several top-level values (JSON lines).</param>
    /// <param name="readDocument">The format's walk: reads the whole stream and builds the trace.</param>
    public static ExecutionTrace Open(string path, JsonTraceReadOptions? options, bool allowMultipleValues, Func<JsonStream, ExecutionTrace> readDocument)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = Path.GetFullPath(path);
        using var stream = TraceContent.OpenRead(path, (options ?? JsonTraceReadOptions.Default).MaxDecompressedBytes, out var gzip);
        try
        {
            var trace = Read(stream, path, options, allowMultipleValues, readDocument);
            if (gzip is not null)
                DrainChecked(gzip, trace);
            return trace;
        }
        catch (TraceFormatException e) when (gzip is not null && e.Offset is not null && !ReferenceEquals(e, gzip.Failure))
        {
            // The JSON layer counts offsets in what it was given, which is the decompressed content.
            throw new TraceFormatException(e.Path, e.Offset, e.Problem + " (The file is gzip compressed; the byte offset counts decompressed bytes.)", e.InnerException);
        }
    }

    /// <summary>
    /// Reads what the format's walk left unread of a gzip file (after the end of its JSON), so every member's
    /// trailer is checked: a file cut short after its last closing bracket is damage too, not a clean read.
    /// </summary>
    private static void DrainChecked(GzipMemberStream gzip, ExecutionTrace trace)
    {
        try
        {
            var buffer = new byte[64 * 1024];
            while (gzip.Read(buffer) > 0)
            {
            }
        }
        catch
        {
            trace.Dispose();
            throw;
        }
    }

    /// <summary>Reads <paramref name="stream"/> with <paramref name="readDocument"/>; <paramref name="sourceName"/> names it in errors and metadata.</summary>
    /// <param name="stream">The JSON, read once from its current position.</param>
    /// <param name="sourceName">The name errors and metadata give the source (<see cref="JsonStream.Path"/>).</param>
    /// <param name="options">Limits; null for the defaults.</param>
    /// <param name="allowMultipleValues">True when the format allows several top-level values (JSON lines).</param>
    /// <param name="readDocument">The format's walk: reads the whole stream and builds the trace.</param>
    public static ExecutionTrace Read(Stream stream, string sourceName, JsonTraceReadOptions? options, bool allowMultipleValues, Func<JsonStream, ExecutionTrace> readDocument)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        try
        {
            options ??= JsonTraceReadOptions.Default;
            return readDocument(new JsonStream(stream, sourceName, options.MaxValueBytes, options.MaxDepth, allowMultipleValues));
        }
        catch (InvalidOperationException e)
        {
            // Last line of defence (found by fuzzing): System.Text.Json refuses to transcode invalid UTF-8 in
            // a string with InvalidOperationException wherever a string is read.
            throw new TraceFormatException(sourceName, null, "a string in the file is not valid UTF-8 text (invalid bytes or an unpaired surrogate escape): " + e.Message, e);
        }
        catch (ArgumentException e)
        {
            // The trace builder refuses events the model cannot hold (found by fuzzing: an end time past the
            // largest signed 64-bit nanosecond count); that is bad input, not a bug of the caller.
            throw new TraceFormatException(sourceName, null, "the events cannot form a trace: " + e.Message, e);
        }
    }
}
