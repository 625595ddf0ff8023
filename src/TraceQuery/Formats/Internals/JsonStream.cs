using System.Globalization;
using System.Text.Json;

namespace TraceQuery.Formats.Internals;

/// <summary>
/// A forward-only JSON cursor over a stream: <see cref="Utf8JsonReader"/> over a buffer refilled from the
/// stream, so a multi-GB file is read in one pass with memory bounded by the largest single value asked for
/// with <see cref="ReadValue"/> (an event, a span), never the whole document. Every syntax error becomes a
/// <see cref="TraceFormatException"/> naming the absolute byte offset. A leading UTF-8 byte order mark is
/// skipped (offsets still count it).
/// </summary>
internal sealed class JsonStream
{
    private const int InitialBufferSize = 1 << 20;

    private readonly Stream _stream;
    private readonly string _path;
    private readonly int _maxValueBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _eof;
    private JsonReaderState _state;
    private long _linesConsumed;
    private long _lastLineStart;
    private int _valueStart;
    private int _valueLength;
    private bool _valueEscaped;
    private bool _bomChecked;

    public JsonStream(Stream stream, string path, int maxValueBytes, int maxDepth, bool allowMultipleValues)
    {
        _stream = stream;
        _path = path;
        _maxValueBytes = Math.Max(maxValueBytes, 1024);
        _buffer = new byte[Math.Min(InitialBufferSize, _maxValueBytes)];
        _state = new JsonReaderState(new JsonReaderOptions { MaxDepth = maxDepth, AllowMultipleValues = allowMultipleValues });
    }

    /// <summary>The source's name, for errors.</summary>
    public string Path => _path;

    /// <summary>The kind of the token <see cref="Read"/> last returned.</summary>
    public JsonTokenType TokenType { get; private set; }

    /// <summary>Absolute byte offset where the last token started.</summary>
    public long TokenOffset { get; private set; }

    /// <summary>Bytes of the input consumed so far.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Reads the next token; false at the end of the input.</summary>
    public bool Read()
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            bool read;
            try
            {
                read = reader.Read();
            }
            catch (JsonException e)
            {
                throw Malformed(e);
            }
            if (read)
            {
                TokenType = reader.TokenType;
                TokenOffset = Position + reader.TokenStartIndex;
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName or JsonTokenType.Number)
                {
                    // From the token's start, not from where the value span overlaps the buffer: an empty
                    // value ("") overlaps nothing (found by fuzzing). Strings and names start after the quote.
                    _valueStart = _start + (int)reader.TokenStartIndex + (reader.TokenType == JsonTokenType.Number ? 0 : 1);
                    _valueLength = reader.ValueSpan.Length;
                    _valueEscaped = reader.ValueIsEscaped;
                }
                Advance((int)reader.BytesConsumed, reader.CurrentState);
                return true;
            }
            if (_eof)
                return false;
            Fill();
        }
    }

    /// <summary>True when the last token (a property name or string) is exactly <paramref name="utf8"/>.</summary>
    public bool ValueIs(ReadOnlySpan<byte> utf8) =>
        _valueEscaped ? GetString() == System.Text.Encoding.UTF8.GetString(utf8) : _buffer.AsSpan(_valueStart, _valueLength).SequenceEqual(utf8);

    /// <summary>The last token (a property name or string) unescaped.</summary>
    public string GetString()
    {
        // Re-read the quoted token on its own: the reader that read it is gone, its bytes are still buffered.
        var reader = new Utf8JsonReader(_buffer.AsSpan(_valueStart - 1, _valueLength + 2));
        reader.Read();
        try
        {
            return reader.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            // Found by fuzzing: invalid UTF-8 or an unpaired surrogate escape threw past the reader.
            throw new TraceFormatException(_path, TokenOffset, "a string is not valid UTF-8 text (invalid bytes or an unpaired surrogate escape).");
        }
    }

    /// <summary>
    /// Reads the next complete value (object, array or primitive) and returns its bytes, valid until the next
    /// call; <paramref name="offset"/> is where it starts in the input. A value larger than the limit is an error.
    /// </summary>
    public ReadOnlySpan<byte> ReadValue(out long offset)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            try
            {
                if (reader.Read())
                {
                    int begin = (int)reader.TokenStartIndex;
                    if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray) || reader.TrySkip())
                    {
                        int length = (int)reader.BytesConsumed - begin;
                        offset = Position + begin;
                        int absoluteBegin = _start + begin;
                        TokenType = reader.TokenType;
                        Advance((int)reader.BytesConsumed, reader.CurrentState);
                        return _buffer.AsSpan(absoluteBegin, length);
                    }
                }
                else if (_eof)
                {
                    throw new TraceFormatException(_path, Position, "the input ends where a JSON value was expected; the file is cut short.");
                }
            }
            catch (JsonException e)
            {
                throw Malformed(e);
            }
            Fill();
        }
    }

    /// <summary>Skips the next value (after a property name or inside an array).</summary>
    public void SkipValue() => ReadValue(out _);

    /// <summary>
    /// The next significant byte without consuming it, looking past whitespace and one comma; 0 at the end of
    /// the input. Used to tell the end of an array from its next element.
    /// </summary>
    public byte Peek()
    {
        while (true)
        {
            bool comma = false;
            var rest = _buffer.AsSpan(_start, _end - _start);
            int i = 0;
            for (; i < rest.Length; i++)
            {
                byte b = rest[i];
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                    continue;
                if (b == (byte)',' && !comma)
                {
                    comma = true;
                    continue;
                }
                return b;
            }
            if (_eof)
                return 0;
            Fill();
        }
    }

    private void Advance(int consumed, JsonReaderState state)
    {
        var region = _buffer.AsSpan(_start, consumed);
        int lines = region.Count((byte)'\n');
        if (lines > 0)
        {
            _linesConsumed += lines;
            _lastLineStart = Position + region.LastIndexOf((byte)'\n') + 1;
        }
        _start += consumed;
        _state = state;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxValueBytes)
            {
                throw new TraceFormatException(_path, Position, string.Create(CultureInfo.InvariantCulture,
                    $"a single JSON value starting here is larger than the limit of {_maxValueBytes:N0} bytes (an event, span or string this large is not a trace); raise MaxValueBytes in the read options if it is meant."));
            }
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, _maxValueBytes));
        }
        do
        {
            int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
                _eof = true;
            _end += read;
        }
        while (!_bomChecked && _end < 3 && !_eof);
        if (!_bomChecked)
        {
            // A UTF-8 byte order mark is not JSON; skip it, keeping offsets those of the file.
            _bomChecked = true;
            if (_bufferOffset == 0 && _start == 0 && _buffer.AsSpan(0, _end).StartsWith("\uFEFF"u8))
            {
                _start = 3;
                _lastLineStart = 3;
            }
        }
    }

    /// <summary>Turns the reader's line/byte-in-line position into an absolute offset.</summary>
    private TraceFormatException Malformed(JsonException e)
    {
        long offset = Position;
        if (e.LineNumber is { } line && e.BytePositionInLine is { } column)
        {
            long lineStart = _lastLineStart;
            var rest = _buffer.AsSpan(_start, _end - _start);
            for (long l = _linesConsumed; l < line; l++)
            {
                int newline = rest.IndexOf((byte)'\n');
                if (newline < 0)
                    break;
                lineStart = Position + (_end - _start - rest.Length) + newline + 1;
                rest = rest[(newline + 1)..];
            }
            offset = lineStart + column;
        }
        string reason = e.Message;
        int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
            reason = reason[..cut];
        return new TraceFormatException(_path, offset, "invalid JSON: " + reason.TrimEnd() + " Check that the file is complete and is JSON.", e);
    }
}
