using System.Buffers.Binary;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;
using static TraceQuery.Formats.Atf.AtfIndexFile;

namespace TraceQuery.Formats.Atf;

/// <summary>
/// One memory-mapped detail.atf with the offset of every complete record, so a record is found in O(1)
/// from an event's <c>detail_seq</c>. A file without a footer (the tracer was killed) keeps its complete
/// records; a record cut mid-way is counted in <see cref="BytesIgnored"/>.
/// </summary>
public sealed class AtfDetailFile : IDisposable
{
    private readonly MappedFile _file;
    private readonly long[] _offsets;

    private AtfDetailFile(MappedFile file, long[] offsets, bool finalized, long bytesIgnored)
    {
        _file = file;
        _offsets = offsets;
        IsFinalized = finalized;
        BytesIgnored = bytesIgnored;
    }

    /// <summary>Path of the file.</summary>
    public string Path => _file.Path;

    /// <summary>True when the file ends with a valid footer.</summary>
    public bool IsFinalized { get; }

    /// <summary>Number of complete records.</summary>
    public int RecordCount => _offsets.Length;

    /// <summary>Bytes after the last complete record that were not a whole record.</summary>
    public long BytesIgnored { get; }

    /// <summary>Opens, validates and indexes a detail file.</summary>
    /// <exception cref="TraceFormatException">The file is not a valid ATF v2 detail file.</exception>
    public static AtfDetailFile Open(string path, AtfReadOptions? options = null)
    {
        options ??= AtfReadOptions.Default;
        var file = MappedFile.Open(path);
        try
        {
            return Parse(file, options);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads record <paramref name="seq"/>, copying its payload; false when there is no such complete record.</summary>
    public bool TryGetRecord(uint seq, out DetailRecord record)
    {
        if (seq >= (uint)_offsets.Length)
        {
            record = null!;
            return false;
        }
        long offset = _offsets[seq];
        var header = _file.Slice(offset, DetailRecord.HeaderSize);
        uint total = BinaryPrimitives.ReadUInt32LittleEndian(header);
        record = new DetailRecord(
            BinaryPrimitives.ReadUInt16LittleEndian(header[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(header[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(header[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(header[12..]),
            BinaryPrimitives.ReadUInt64LittleEndian(header[16..]),
            _file.Slice(offset + DetailRecord.HeaderSize, (int)total - DetailRecord.HeaderSize).ToArray());
        return true;
    }

    private static AtfDetailFile Parse(MappedFile file, AtfReadOptions options)
    {
        string path = file.Path;
        long length = file.Length;
        if (length == 0)
            return new AtfDetailFile(file, [], finalized: false, bytesIgnored: 0);
        if (length < AtfLayout.HeaderSize)
            throw new TraceFormatException(path, 0, Invariant($"the file is {length} bytes long, shorter than the 64-byte detail header. This is damage, not an empty file: the writer leaves either 0 bytes (nothing reached the disk) or whole headers and 4 KiB blocks, so the file was cut or overwritten."));
        var h = file.Slice(0, AtfLayout.HeaderSize);
        if (BinaryPrimitives.ReadUInt32LittleEndian(h) != AtfLayout.DetailMagic)
            throw new TraceFormatException(path, 0, $"wrong magic {Ascii(h[..4])}; an ATF v2 detail file starts with \"ATD2\".");
        if (h[4] != AtfLayout.LittleEndian)
            throw new TraceFormatException(path, 4, Invariant($"unsupported endianness byte {h[4]}; only 1 (little-endian) is defined."));
        if (h[5] != AtfLayout.Version)
            throw new TraceFormatException(path, 5, Invariant($"unsupported version {h[5]}; this reader handles version 1 of ATF v2 detail files."));
        ulong eventsOffset = BinaryPrimitives.ReadUInt64LittleEndian(h[20..]);
        ulong bytesLength = BinaryPrimitives.ReadUInt64LittleEndian(h[36..]);
        if (eventsOffset < AtfLayout.HeaderSize || eventsOffset > (ulong)length)
            throw new TraceFormatException(path, 20, Invariant($"events_offset is {eventsOffset}; it must lie between 64 and the file length {length}."));

        long footerAt = length - AtfLayout.FooterSize;
        bool hasFooter = footerAt >= (long)eventsOffset
            && BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(footerAt, 4)) == AtfLayout.DetailFooterMagic
            && eventsOffset + bytesLength == (ulong)footerAt;

        if (hasFooter)
        {
            var f = file.Slice(footerAt, AtfLayout.FooterSize);
            uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(f[4..]);
            ulong count = BinaryPrimitives.ReadUInt64LittleEndian(f[8..]);
            ulong footerBytes = BinaryPrimitives.ReadUInt64LittleEndian(f[16..]);
            if (footerBytes != bytesLength)
                throw new TraceFormatException(path, footerAt + 16, Invariant($"the footer's bytes_length is {footerBytes}, but the record section holds {bytesLength} bytes."));
            var offsets = Walk(file, (long)eventsOffset, footerAt, out long rest);
            if (rest != 0)
                throw new TraceFormatException(path, footerAt - rest, Invariant($"a record runs past the footer; the last {rest} bytes of the record section are not a whole record."));
            if ((ulong)offsets.Count != count)
                throw new TraceFormatException(path, footerAt + 8, Invariant($"the footer counts {count} records, but the record section holds {offsets.Count}."));
            if (checksum != 0 && options.VerifyChecksums)
            {
                uint actual = Crc32Of(file, (long)eventsOffset, (long)bytesLength);
                if (actual != checksum)
                    throw new TraceFormatException(path, footerAt + 4, Invariant($"CRC32 mismatch: the footer says 0x{checksum:x8}, the records hash to 0x{actual:x8}."));
            }
            return new AtfDetailFile(file, [.. offsets], finalized: true, bytesIgnored: 0);
        }

        // No footer: keep complete records, stop at the first one cut short.
        var kept = Walk(file, (long)eventsOffset, length, out long ignored);
        return new AtfDetailFile(file, [.. kept], finalized: false, bytesIgnored: ignored);
    }

    /// <summary>Steps from record to record by each one's own <c>total_length</c>; stops at the first that does not fit.</summary>
    private static List<long> Walk(MappedFile file, long start, long end, out long remaining)
    {
        var offsets = new List<long>();
        long position = start;
        while (end - position >= DetailRecord.HeaderSize)
        {
            uint total = BinaryPrimitives.ReadUInt32LittleEndian(file.Slice(position, 4));
            if (total < DetailRecord.HeaderSize || total > end - position)
                break;
            offsets.Add(position);
            position += total;
        }
        remaining = end - position;
        return offsets;
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose() => _file.Dispose();
}
