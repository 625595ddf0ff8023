using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;

namespace TraceQuery.Formats.Internals;

/// <summary>
/// The decompressed content of a gzip file (RFC 1952), read forward once, member by member: each member's
/// header is parsed here, its deflate data is inflated by <see cref="DeflateStream"/>, and its CRC-32 and size
/// trailer are checked against what came out. So a file cut short (which <see cref="GZipStream"/> reads as a
/// shorter but clean stream) is a <see cref="TraceFormatException"/>, concatenated members are read as one
/// stream, and more than <c>maxBytesOut</c> decompressed bytes (a gzip bomb) stop the read with an error
/// instead of filling memory or disk. No temporary file; memory is the deflate window and a 64 KiB tail buffer.
/// </summary>
/// <remarks>
/// <see cref="DeflateStream"/> reads its input ahead in blocks and does not say where the deflate data
/// ended, so the trailer is found by searching the bytes it read last for the 8 bytes (CRC-32, size mod 2^32)
/// that this member's output must end with; a false match inside compressed data has odds of 2^-64.
/// </remarks>
internal sealed class GzipMemberStream : Stream
{
    private const int TrailerSize = 8;
    private const int TrailerSearchBytes = 64 * 1024;

    private readonly FileStream _file;
    private readonly string _path;
    private readonly long _maxBytesOut;
    private readonly long _fileLength;
    private readonly Crc32 _crc = new();
    private DeflateStream? _deflate;
    private long _memberStart;
    private long _dataStart;
    private long _memberBytes;
    private long _bytesOut;
    private int _members;
    private bool _done;

    /// <summary>Reads the gzip file <paramref name="file"/> (seekable, at offset 0); <paramref name="path"/> names it in errors.</summary>
    public GzipMemberStream(FileStream file, string path, long maxBytesOut)
    {
        _file = file;
        _path = path;
        _maxBytesOut = maxBytesOut;
        _fileLength = file.Length;
        StartMember(0);
    }

    /// <summary>The exception this stream threw last, so a caller can tell envelope errors from content errors.</summary>
    public TraceFormatException? Failure { get; private set; }

    /// <summary>Decompressed bytes handed out so far.</summary>
    public long BytesOut => _bytesOut;

    /// <summary>True when <paramref name="head"/> (a file's first bytes) starts with the gzip magic 1F 8B.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B;

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
            return 0;
        while (!_done)
        {
            int read;
            try
            {
                read = _deflate!.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw Fail(_dataStart, Invariant($"gzip member {_members} (starting at byte {_memberStart}) holds invalid deflate data after {_memberBytes:N0} decompressed bytes: {e.Message} The file is damaged."), e);
            }
            if (read > 0)
            {
                _crc.Append(buffer[..read]);
                _memberBytes += read;
                _bytesOut += read;
                if (_bytesOut > _maxBytesOut)
                {
                    throw Fail(null, Invariant($"the gzip file decompresses to more than the limit of {_maxBytesOut:N0} bytes (MaxDecompressedBytes in the read options, or the server's limits); it is refused as a possible gzip bomb. Raise the limit if the trace is meant to be this large."));
                }
                return read;
            }
            FinishMember();
        }
        return 0;
    }

    private void StartMember(long start)
    {
        _memberStart = start;
        _members++;
        _file.Position = start;
        ReadHeader();
        _dataStart = _file.Position;
        _crc.Reset();
        _memberBytes = 0;
        _deflate = new DeflateStream(_file, CompressionMode.Decompress, leaveOpen: true);
    }

    /// <summary>Checks the member's trailer and moves to the next member, or ends the stream after the last.</summary>
    private void FinishMember()
    {
        long readUpTo = _file.Position;
        _deflate!.Dispose();
        _deflate = null;
        long trailer = FindTrailer(readUpTo);
        if (trailer < 0)
        {
            if (readUpTo >= _fileLength)
            {
                throw Fail(_fileLength, Invariant($"the gzip file is cut short or damaged: member {_members} (starting at byte {_memberStart}) ends without its CRC-32 and size trailer after {_memberBytes:N0} decompressed bytes ({_bytesOut:N0} in all), or the trailer does not match them. The file was probably truncated in transfer; get the whole file."));
            }
            throw Fail(_dataStart, Invariant($"gzip member {_members} (starting at byte {_memberStart}) is damaged: no CRC-32 and size trailer matches its {_memberBytes:N0} decompressed bytes."));
        }
        long next = trailer + TrailerSize;
        if (next >= _fileLength)
        {
            _done = true;
            return;
        }
        Span<byte> magic = stackalloc byte[2];
        _file.Position = next;
        _file.ReadExactly(magic[..Math.Min(2, (int)(_fileLength - next))]);
        if (_fileLength - next >= 2 && IsGzip(magic))
        {
            StartMember(next);
            return;
        }
        if (AllZero(next))
        {
            // Padding to a block size (tape, some uploaders); gzip(1) ignores it too.
            _done = true;
            return;
        }
        throw Fail(next, Invariant($"{_fileLength - next:N0} bytes after gzip member {_members} are neither another gzip member nor zero padding; the file is damaged or is not one gzip file."));
    }

    /// <summary>Where this member's trailer starts, searched in the bytes the inflater may have read ahead; -1 when none matches.</summary>
    private long FindTrailer(long readUpTo)
    {
        long from = Math.Max(_dataStart, readUpTo - TrailerSearchBytes);
        long to = Math.Min(readUpTo, _fileLength - TrailerSize);
        if (to < from)
            return -1;
        var tail = new byte[(int)(to - from) + TrailerSize];
        _file.Position = from;
        _file.ReadExactly(tail);
        uint crc = _crc.GetCurrentHashAsUInt32();
        uint size = unchecked((uint)_memberBytes);
        for (int i = 0; i + TrailerSize <= tail.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == crc && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i + 4)) == size)
                return from + i;
        }
        return -1;
    }

    private bool AllZero(long from)
    {
        var buffer = new byte[64 * 1024];
        _file.Position = from;
        int read;
        while ((read = _file.Read(buffer)) > 0)
        {
            if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
                return false;
        }
        return true;
    }

    /// <summary>Parses a member header (RFC 1952 section 2.3), leaving the file at the start of the deflate data.</summary>
    private void ReadHeader()
    {
        Span<byte> fixedPart = stackalloc byte[10];
        ReadHeaderBytes(fixedPart);
        if (!IsGzip(fixedPart))
            throw Fail(_memberStart, "a gzip member must start with the bytes 1F 8B; the file is damaged.");
        if (fixedPart[2] != 8)
            throw Fail(_memberStart + 2, Invariant($"gzip compression method {fixedPart[2]} is not deflate (8); no tool writes it."));
        byte flags = fixedPart[3];
        if ((flags & 0xE0) != 0)
            throw Fail(_memberStart + 3, Invariant($"gzip header flags 0x{flags:X2} set reserved bits; the file is damaged."));
        if ((flags & 0x04) != 0)
        {
            Span<byte> extraLength = stackalloc byte[2];
            ReadHeaderBytes(extraLength);
            Skip(BinaryPrimitives.ReadUInt16LittleEndian(extraLength));
        }
        if ((flags & 0x08) != 0)
            SkipZeroTerminated();
        if ((flags & 0x10) != 0)
            SkipZeroTerminated();
        if ((flags & 0x02) != 0)
            Skip(2);
    }

    private void ReadHeaderBytes(Span<byte> into)
    {
        if (_file.ReadAtLeast(into, into.Length, throwOnEndOfStream: false) < into.Length)
            throw CutShortInHeader();
    }

    private void Skip(int count)
    {
        if (_file.Position + count > _fileLength)
            throw CutShortInHeader();
        _file.Position += count;
    }

    private void SkipZeroTerminated()
    {
        int b;
        while ((b = _file.ReadByte()) > 0)
        {
        }
        if (b < 0)
            throw CutShortInHeader();
    }

    private TraceFormatException CutShortInHeader() =>
        Fail(_fileLength, Invariant($"the gzip file is cut short inside the header of member {_members} (starting at byte {_memberStart}). The file was probably truncated in transfer; get the whole file."));

    private TraceFormatException Fail(long? offset, string problem, Exception? inner = null) =>
        Failure = new TraceFormatException(_path, offset, problem, inner);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _deflate?.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => _bytesOut;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
