using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Atf;

/// <summary>
/// One memory-mapped index.atf: its header and a zero-copy view of its events. A file without a footer
/// (the tracer was killed) is recovered: every whole 32-byte event after the header is kept and the rest
/// is counted in <see cref="BytesIgnored"/>. Anything no writer produces throws <see cref="TraceFormatException"/>.
/// </summary>
public sealed unsafe class AtfIndexFile : IDisposable
{
    private readonly MappedFile _file;
    private readonly long _eventsOffset;

    private AtfIndexFile(MappedFile file, AtfIndexHeader? header, long eventsOffset, int eventCount, bool finalized, long bytesIgnored, uint expectedChecksum = 0)
    {
        (_file, Header, _eventsOffset, EventCount) = (file, header, eventsOffset, eventCount);
        (IsFinalized, BytesIgnored, ExpectedChecksum) = (finalized, bytesIgnored, expectedChecksum);
    }

    /// <summary>Path of the file.</summary>
    public string Path => _file.Path;

    /// <summary>The header, or null for a 0-byte file (a thread killed before its first 4 KiB reached the disk).</summary>
    public AtfIndexHeader? Header { get; }

    /// <summary>True when the file ends with a valid footer.</summary>
    public bool IsFinalized { get; }

    /// <summary>True when the file is 0 bytes long.</summary>
    public bool IsEmptyFile => Header is null;

    /// <summary>Events available (the footer's count when finalized, else every whole event after the header).</summary>
    public int EventCount { get; }

    /// <summary>Trailing bytes that did not form a whole event (only in files without a footer).</summary>
    public long BytesIgnored { get; }

    /// <summary>The event section, viewed in place. Valid until the file is disposed.</summary>
    public ReadOnlySpan<TraceEvent> Events =>
        EventCount == 0 ? [] : new ReadOnlySpan<TraceEvent>(_file.Pointer + _eventsOffset, EventCount);

    /// <summary>The footer's CRC-32, left for the caller to verify (opened with deferred verification); 0 = nothing to verify.</summary>
    internal uint ExpectedChecksum { get; }

    internal ThreadEventRows Source => EventCount == 0
        ? new ThreadEventRows([])
        : new ThreadEventRows((TraceEvent*)(_file.Pointer + _eventsOffset), EventCount);

    private SafeFileHandle? _readHandle;

    /// <summary>The events as <paramref name="access"/> reaches them: the mapping (populated first, if asked) or read calls on the file.</summary>
    internal ThreadEventRows SourceFor(AtfEventAccess access)
    {
        if (EventCount == 0 || access == AtfEventAccess.Mapped)
            return Source;
        if (access == AtfEventAccess.PopulatedMapping)
        {
            _file.Populate(_eventsOffset, (long)EventCount * AtfLayout.EventSize);
            return Source;
        }
        _readHandle ??= File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
        return new ThreadEventRows(_readHandle, _eventsOffset, EventCount);
    }

    /// <summary>Opens and validates an index file.</summary>
    /// <exception cref="TraceFormatException">The file is not a valid ATF v2 index.</exception>
    public static AtfIndexFile Open(string path, AtfReadOptions? options = null) =>
        Open(path, options ?? AtfReadOptions.Default, deferChecksum: false);

    /// <summary>
    /// Opens an index file; with <paramref name="deferChecksum"/> the CRC-32 is not computed here but
    /// handed over in <see cref="ExpectedChecksum"/>, for the column pass to verify while it reads the events.
    /// </summary>
    internal static AtfIndexFile Open(string path, AtfReadOptions options, bool deferChecksum)
    {
        var file = MappedFile.Open(path);
        try
        {
            return Parse(file, options, deferChecksum);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static AtfIndexFile Parse(MappedFile file, AtfReadOptions options, bool deferChecksum)
    {
        string path = file.Path;
        long length = file.Length;
        if (length == 0)
            return new AtfIndexFile(file, null, 0, 0, finalized: false, bytesIgnored: 0);
        if (length < AtfLayout.HeaderSize)
            throw new TraceFormatException(path, 0, Invariant($"the file is {length} bytes long, shorter than the 64-byte index header. This is damage, not an empty file: the writer leaves either 0 bytes (nothing reached the disk) or whole headers and 4 KiB blocks, so the file was cut or overwritten."));

        var h = file.Slice(0, AtfLayout.HeaderSize);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(h);
        if (magic != AtfLayout.IndexMagic)
            throw new TraceFormatException(path, 0, $"wrong magic {Ascii(h[..4])}; an ATF v2 index file starts with \"ATI2\".");
        if (h[4] != AtfLayout.LittleEndian)
            throw new TraceFormatException(path, 4, Invariant($"unsupported endianness byte {h[4]}; only 1 (little-endian) is defined."));
        if (h[5] != AtfLayout.Version)
            throw new TraceFormatException(path, 5, Invariant($"unsupported version {h[5]}; this reader handles version 1 of ATF v2 index files."));
        uint eventSize = BinaryPrimitives.ReadUInt32LittleEndian(h[24..]);
        if (eventSize != AtfLayout.EventSize)
            throw new TraceFormatException(path, 24, Invariant($"event size is {eventSize}; ATF v2 events are 32 bytes."));

        var header = new AtfIndexHeader(
            Arch: h[6],
            Os: h[7],
            Flags: BinaryPrimitives.ReadUInt32LittleEndian(h[8..]),
            ThreadId: BinaryPrimitives.ReadUInt32LittleEndian(h[12..]),
            ClockType: h[16],
            EventCount: BinaryPrimitives.ReadUInt32LittleEndian(h[28..]),
            EventsOffset: BinaryPrimitives.ReadUInt64LittleEndian(h[32..]),
            FooterOffset: BinaryPrimitives.ReadUInt64LittleEndian(h[40..]),
            TimeStartNs: BinaryPrimitives.ReadUInt64LittleEndian(h[48..]),
            TimeEndNs: BinaryPrimitives.ReadUInt64LittleEndian(h[56..]));

        if (header.EventsOffset < AtfLayout.HeaderSize || header.EventsOffset > (ulong)length)
            throw new TraceFormatException(path, 32, Invariant($"events_offset is {header.EventsOffset}; it must lie between 64 and the file length {length}."));
        long eventsOffset = (long)header.EventsOffset;

        // A footer is present when the header points at one that ends exactly at the end of the file.
        ulong footerOffset = header.FooterOffset;
        bool footerFits = footerOffset >= header.EventsOffset && footerOffset <= (ulong)length && (ulong)length - footerOffset >= AtfLayout.FooterSize;
        bool hasFooterMagic = footerFits && BinaryPrimitives.ReadUInt32LittleEndian(file.Slice((long)footerOffset, 4)) == AtfLayout.IndexFooterMagic;
        bool headerClaimsFinalized = footerOffset > header.EventsOffset || header.EventCount > 0;

        if (hasFooterMagic)
        {
            long footerAt = (long)footerOffset;
            long trailing = length - footerAt - AtfLayout.FooterSize;
            if (trailing != 0)
                throw new TraceFormatException(path, footerAt + AtfLayout.FooterSize, Invariant($"{trailing} bytes follow the footer; an index file ends with its footer."));
            var f = file.Slice(footerAt, AtfLayout.FooterSize);
            uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(f[4..]);
            ulong count = BinaryPrimitives.ReadUInt64LittleEndian(f[8..]);
            ulong bytesWritten = BinaryPrimitives.ReadUInt64LittleEndian(f[32..]);
            ulong section = footerOffset - header.EventsOffset;
            if (count > section / AtfLayout.EventSize || count * AtfLayout.EventSize != section)
                throw new TraceFormatException(path, footerAt + 8, Invariant($"the footer counts {count} events, but the event section between byte {eventsOffset} and the footer holds {section} bytes ({section / AtfLayout.EventSize} events)."));
            if (bytesWritten != section)
                throw new TraceFormatException(path, footerAt + 32, Invariant($"the footer's bytes_written is {bytesWritten}, but the event section holds {section} bytes."));
            if (count > int.MaxValue)
                throw new TraceFormatException(path, footerAt + 8, Invariant($"the footer counts {count} events; at most {int.MaxValue} events per thread can be loaded."));
            bool verify = checksum != 0 && options.VerifyChecksums;
            if (verify && !deferChecksum)
            {
                uint actual = Crc32Of(file, eventsOffset, (long)section);
                if (actual != checksum)
                    throw ChecksumMismatch(path, footerAt, checksum, actual);
            }
            return new AtfIndexFile(file, header, eventsOffset, (int)count, finalized: true, bytesIgnored: 0, verify && deferChecksum ? checksum : 0);
        }

        if (headerClaimsFinalized && footerFits)
        {
            // The header was rewritten at finalization, so a footer must be where it points.
            throw new TraceFormatException(path, (long)footerOffset,
                $"wrong footer magic {Ascii(file.Slice((long)footerOffset, 4))}; the header places the \"2ITA\" footer here.");
        }

        // No footer: the thread was never finalized (the tracer was killed). Keep every whole event.
        // A footer offset before the events bounds nothing, and one past the end bounds at the end (found by
        // fuzzing: either made the event count negative, and the column pass read outside the mapping).
        long available = headerClaimsFinalized && footerOffset >= header.EventsOffset ? (long)Math.Min(footerOffset, (ulong)length) : length;
        long sectionBytes = available - eventsOffset;
        long whole = sectionBytes / AtfLayout.EventSize;
        if (whole > int.MaxValue)
            throw new TraceFormatException(path, eventsOffset, Invariant($"the event section holds {whole} events; at most {int.MaxValue} events per thread can be loaded."));
        long ignored = length - eventsOffset - (whole * AtfLayout.EventSize);
        return new AtfIndexFile(file, header, eventsOffset, (int)whole, finalized: false, bytesIgnored: ignored);
    }

    internal static TraceFormatException ChecksumMismatch(string path, long footerAt, uint expected, uint actual) =>
        new(path, footerAt + 4, Invariant($"CRC32 mismatch: the footer says 0x{expected:x8}, the event bytes hash to 0x{actual:x8}. The file is corrupt; a checksum of 0 would mean \"not computed\"."));

    internal static uint Crc32Of(MappedFile file, long offset, long length)
    {
        var crc = new System.IO.Hashing.Crc32();
        const int Block = 1 << 30;
        for (long done = 0; done < length; done += Block)
            crc.Append(file.Slice(offset + done, (int)Math.Min(Block, length - done)));
        return crc.GetCurrentHashAsUInt32();
    }

    internal static string Ascii(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
            chars[i] = bytes[i] is >= 0x20 and < 0x7f ? (char)bytes[i] : '?';
        return "\"" + new string(chars) + "\" (0x" + Convert.ToHexString(bytes).ToLowerInvariant() + ")";
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        _readHandle?.Dispose();
        _file.Dispose();
    }
}
