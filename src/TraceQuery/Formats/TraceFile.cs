using TraceQuery.Formats.Atf;
using TraceQuery.Formats.Chrome;
using TraceQuery.Formats.Internals;
using TraceQuery.Formats.Otlp;
using TraceQuery.Formats.Perfetto;
using TraceQuery.Model;

namespace TraceQuery.Formats;

/// <summary>
/// Opens a trace of any supported format, picking the reader by content rather than by name: an ATF session
/// directory, Chrome Trace Event JSON, a V8 <c>.cpuprofile</c>, OTLP/JSON (one request or JSON lines), or a Perfetto protobuf trace. A file may be gzip
/// compressed (found by its magic bytes, decompressed as it is read, no temporary file) and may start with a
/// UTF-8 byte order mark. Packages add readers for more formats with <see cref="Register"/>.
/// </summary>
public static class TraceFile
{
    private const int SniffBytes = 64 * 1024;
    private static readonly Lock RegistryLock = new();
    private static TraceFileReader[] _readers = [];

    /// <summary>The first bytes of an EventPipe <c>.nettrace</c> file, named when no reader for it is registered.</summary>
    private static ReadOnlySpan<byte> NetTraceMagic => "Nettrace"u8;

    /// <summary>The readers added with <see cref="Register"/>, in the order they were added.</summary>
    public static IReadOnlyList<TraceFileReader> Readers => Volatile.Read(ref _readers);

    /// <summary>
    /// Adds a reader for a format outside the core (e.g. <c>NetTraceFile.Register()</c> in TraceQuery.NetTrace), so that
    /// <see cref="Open"/>, <see cref="DetectFormat(string)"/> (as <see cref="TraceFileFormat.Registered"/>), trace sets,
    /// the server and the MCP tools take its files. A reader with the same <see cref="TraceFileReader.Extension"/>
    /// replaces the earlier one, so registering twice is harmless. Thread-safe.
    /// </summary>
    public static void Register(TraceFileReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        lock (RegistryLock)
        {
            var readers = new List<TraceFileReader>(_readers);
            readers.RemoveAll(r => string.Equals(r.Extension, reader.Extension, StringComparison.OrdinalIgnoreCase));
            readers.Add(reader);
            Volatile.Write(ref _readers, [.. readers]);
        }
    }

    /// <summary>The registered reader whose magic bytes <paramref name="head"/> starts with, or null.</summary>
    public static TraceFileReader? FindReader(ReadOnlySpan<byte> head)
    {
        foreach (var reader in Volatile.Read(ref _readers))
        {
            if (reader.Matches(head))
                return reader;
        }
        return null;
    }

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
            TraceFileFormat.CpuProfileJson => CpuProfileReader.Open(full, jsonOptions),
            TraceFileFormat.PerfettoProtobuf => PerfettoTraceReader.Open(full, jsonOptions),
            TraceFileFormat.Registered => OpenRegistered(full),
            _ when StartsWithNetTraceMagic(full) => throw new TraceFormatException(full, 0,
                "a .nettrace (EventPipe) file, which the core does not read: add the TraceQuery.NetTrace package and call NetTraceFile.Register() once (the tracequery tool does), or open it with NetTraceFile.Open."),
            _ when TraceContent.IsDamagedGzip(full, jsonOptions) is { } damage => throw damage,
            _ => throw new TraceFormatException(full, null,
                "not a trace this library reads: expected an ATF session directory, Chrome Trace Event JSON ({\"traceEvents\":[…]} or […]), a V8 .cpuprofile ({\"nodes\":[…],\"samples\":[…]}), a Perfetto protobuf trace or OTLP/JSON ({\"resourceSpans\":[…]} or {\"resourceLogs\":[…]}, also in proto field names or inside Jaeger's {\"result\":…})."),
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

    private static ExecutionTrace OpenRegistered(string path)
    {
        var reader = FindReader(RawHead(path)) ?? throw new TraceFormatException(path, 0, "the file changed while it was opened: no registered reader takes its first bytes any more.");
        return reader.Open(path);
    }

    private static bool StartsWithNetTraceMagic(string path) => RawHead(path).StartsWith(NetTraceMagic);

    // The first bytes as stored (no gzip or byte order mark handling: binary formats are sniffed as they are).
    private static byte[] RawHead(string path)
    {
        var head = new byte[64];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        int length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head[..length];
    }

    /// <summary>Tells which trace format <paramref name="head"/> (the first bytes of a file) begins: a registered reader's, else which JSON format.</summary>
    public static TraceFileFormat DetectFormat(ReadOnlySpan<byte> head)
    {
        if (FindReader(head) is not null)
            return TraceFileFormat.Registered;
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
        {
            // A V8 .cpuprofile: a top-level 'nodes' array of objects with 'callFrame's.
            int nodes = Find(head, "\"nodes\""u8);
            return nodes >= 0 && head.IndexOf("\"callFrame\""u8) > nodes ? TraceFileFormat.CpuProfileJson : TraceFileFormat.Unknown;
        }
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
        TraceFileFormat.CpuProfileJson => "V8 CPU profile (.cpuprofile)",
        TraceFileFormat.PerfettoProtobuf => "Perfetto protobuf",
        TraceFileFormat.Registered => "a format of a registered reader",
        _ => "unknown",
    };
}
