using TraceQuery.Formats.Atf;
using TraceQuery.Formats.Chrome;
using TraceQuery.Formats.Internals;
using TraceQuery.Formats.Otlp;
using TraceQuery.Formats.Perfetto;
using TraceQuery.Model;

namespace TraceQuery.Formats;

/// <summary>
/// Opens a trace of any supported format, picking the reader by content rather than by name: an ATF session
/// directory, Chrome Trace Event JSON, OTLP/JSON (one request or JSON lines), or a Perfetto protobuf trace. A file may be gzip
/// compressed (found by its magic bytes, decompressed as it is read, no temporary file) and may start with a
/// UTF-8 byte order mark.
/// </summary>
public static class TraceFile
{
    private const int SniffBytes = 64 * 1024;

    /// <summary>Opens <paramref name="path"/> (a directory or a file) with the reader its content calls for.</summary>
    /// <exception cref="FileNotFoundException">Neither a file nor a directory exists at the path.</exception>
    /// <exception cref="TraceFormatException">The content is not a supported trace, or is damaged; the message says where.</exception>
    public static ExecutionTrace Open(string path, JsonTraceReadOptions? jsonOptions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        // A directory is only ever an ATF session; the ATF reader says best why one is not.
        if (Directory.Exists(full))
            return AtfReader.Open(full);
        return DetectFormat(full) switch
        {
            TraceFileFormat.Atf => AtfReader.Open(Directory.Exists(full) ? full : Path.GetDirectoryName(full)!),
            TraceFileFormat.ChromeJson => ChromeTraceReader.Open(full, jsonOptions),
            TraceFileFormat.OtlpJson => OtlpJsonReader.Open(full, jsonOptions),
            TraceFileFormat.PerfettoProtobuf => PerfettoTraceReader.Open(full, jsonOptions),
            _ when TraceContent.IsDamagedGzip(full, jsonOptions) is { } damage => throw damage,
            _ => throw new TraceFormatException(full, null,
                "not a trace this library reads: expected an ATF session directory, Chrome Trace Event JSON ({\"traceEvents\":[…]} or […]) or OTLP/JSON ({\"resourceSpans\":[…]} or {\"resourceLogs\":[…]}, also in proto field names or inside Jaeger's {\"result\":…}) or a Perfetto protobuf trace (repeated TracePacket)."),
        };
    }

    /// <summary>
    /// Tells which format <paramref name="path"/> holds from its first bytes (for a directory: whether it is an
    /// ATF session). Looks through gzip (by its magic bytes, whatever the name) and a UTF-8 byte order mark.
    /// Reads at most 64 KiB of content.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither a file nor a directory exists at the path.</exception>
    public static TraceFileFormat DetectFormat(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            return AtfReader.IsSession(path) ? TraceFileFormat.Atf : TraceFileFormat.Unknown;
        if (!File.Exists(path))
            throw new FileNotFoundException($"No trace file or directory at {path}.", path);
        if (string.Equals(Path.GetFileName(path), "manifest.json", StringComparison.OrdinalIgnoreCase)
            && AtfReader.IsSession(Path.GetDirectoryName(Path.GetFullPath(path))!))
            return TraceFileFormat.Atf;
        var head = new byte[SniffBytes];
        int length = TraceContent.ReadHead(path, head);
        var format = DetectFormat(head.AsSpan(0, length));
        if (format == TraceFileFormat.Unknown && PerfettoTraceReader.LooksLikeTrace(head.AsSpan(0, length), headIsWholeFile: length < SniffBytes))
            return TraceFileFormat.PerfettoProtobuf;
        return format;
    }

    /// <summary>Tells which JSON trace format <paramref name="head"/> (the first bytes of a file) begins.</summary>
    public static TraceFileFormat DetectFormat(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\uFEFF"u8))
            head = head[3..];
        head = head.TrimStart(" \t\r\n"u8);
        if (head.IsEmpty)
            return TraceFileFormat.Unknown;
        if (head[0] == (byte)'[')
            return TraceFileFormat.ChromeJson;
        if (head[0] != (byte)'{')
            return TraceFileFormat.Unknown;
        // The first of the format's top-level keys decides; a key inside a value cannot come before it.
        int chrome = Find(head, "\"traceEvents\""u8);
        int otlp = Min(Find(head, "\"resourceSpans\""u8), Find(head, "\"resourceLogs\""u8));
        otlp = Min(otlp, Find(head, "\"resourceMetrics\""u8));
        // The protobuf field names, which the protobuf JSON mapping also accepts (Go's jsonpb OrigName, Python's
        // preserving_proto_field_name).
        otlp = Min(otlp, Min(Find(head, "\"resource_spans\""u8), Find(head, "\"resource_logs\""u8)));
        if (chrome < 0 && otlp < 0)
            return TraceFileFormat.Unknown;
        return otlp < 0 || (chrome >= 0 && chrome < otlp) ? TraceFileFormat.ChromeJson : TraceFileFormat.OtlpJson;
    }

    private static int Find(ReadOnlySpan<byte> text, ReadOnlySpan<byte> key) => text.IndexOf(key);

    private static int Min(int a, int b) => a < 0 ? b : b < 0 ? a : Math.Min(a, b);

    /// <summary>Human-readable name of a format, for messages.</summary>
    public static string Describe(TraceFileFormat format) => format switch
    {
        TraceFileFormat.Atf => "ATF session",
        TraceFileFormat.ChromeJson => "Chrome Trace Event JSON",
        TraceFileFormat.OtlpJson => "OTLP/JSON",
        TraceFileFormat.PerfettoProtobuf => "Perfetto protobuf",
        _ => "unknown",
    };
}
