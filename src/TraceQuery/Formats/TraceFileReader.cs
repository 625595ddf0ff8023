using TraceQuery.Model;

namespace TraceQuery.Formats;

/// <summary>
/// A reader for a format the core does not read itself, added by a package beside it (TraceQuery.NetTrace adds
/// <c>.nettrace</c>) with <see cref="TraceFile.Register"/>. <see cref="TraceFile.Open"/>, trace sets, the server and
/// the MCP tools then take such files, found by the bytes they start with.
/// </summary>
public sealed class TraceFileReader
{
    private readonly byte[] _magic;

    /// <summary>Describes a reader: its format's name, the file name extension folder walks look for, the bytes every such file starts with, and how to open one.</summary>
    /// <param name="formatName">Human-readable name, for messages and listings (e.g. <c>.nettrace (EventPipe)</c>).</param>
    /// <param name="extension">File name extension with its dot (e.g. <c>.nettrace</c>); folder walks consider files that end with it.</param>
    /// <param name="magic">The bytes every file of the format starts with (at least 4); the sniffer compares them to a file's head.</param>
    /// <param name="open">Opens a file of the format; throws <see cref="TraceFormatException"/> for damaged content.</param>
    public TraceFileReader(string formatName, string extension, ReadOnlySpan<byte> magic, Func<string, ExecutionTrace> open)
    {
        ArgumentException.ThrowIfNullOrEmpty(formatName);
        ArgumentException.ThrowIfNullOrEmpty(extension);
        ArgumentNullException.ThrowIfNull(open);
        if (extension[0] != '.')
            throw new ArgumentException("The extension starts with its dot, e.g. \".nettrace\".", nameof(extension));
        if (magic.Length < 4)
            throw new ArgumentException("The magic bytes must be at least 4 bytes long, so that no JSON or other file is taken for the format.", nameof(magic));
        FormatName = formatName;
        Extension = extension;
        _magic = magic.ToArray();
        Open = open;
    }

    /// <summary>Human-readable name of the format, for messages and listings.</summary>
    public string FormatName { get; }

    /// <summary>File name extension, with its dot, that folder walks consider.</summary>
    public string Extension { get; }

    /// <summary>The bytes every file of the format starts with.</summary>
    public ReadOnlySpan<byte> Magic => _magic;

    /// <summary>Opens a file of the format.</summary>
    public Func<string, ExecutionTrace> Open { get; }

    /// <summary>Whether <paramref name="head"/> (the first bytes of a file) starts with <see cref="Magic"/>.</summary>
    public bool Matches(ReadOnlySpan<byte> head) => head.StartsWith(_magic);
}
