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
    private readonly long _origin;
    private readonly int _maxDepth;

    /// <summary>The reader's line count (see <see cref="Malformed"/>) on which its byte-in-line is short of the truth by <see cref="_columnBias"/>, after <see cref="JumpTo"/>; −1 for none.</summary>
    private long _biasLine = -1;
    private long _columnBias;

    public JsonStream(Stream stream, string path, int maxValueBytes, int maxDepth, bool allowMultipleValues)
    {
        _stream = stream;
        _path = path;
        _maxValueBytes = Math.Max(maxValueBytes, 1024);
        _buffer = new byte[Math.Min(InitialBufferSize, _maxValueBytes)];
        _origin = stream.CanSeek ? stream.Position : -1;
        _maxDepth = maxDepth <= 0 ? 64 : maxDepth;
        _state = new JsonReaderState(new JsonReaderOptions { MaxDepth = maxDepth, AllowMultipleValues = allowMultipleValues });
    }

    /// <summary>The source's name, for errors.</summary>
    public string Path => _path;

    /// <summary>The deepest nesting allowed (the read options' limit).</summary>
    public int MaxDepth => _maxDepth;

    /// <summary>The largest single value allowed, in bytes (the read options' limit).</summary>
    public int MaxValueBytes => _maxValueBytes;

    /// <summary>
    /// The whole input at once, for readers that parse parts of it on several cores, when the stream allows it: a
    /// <see cref="MemoryStream"/> with a visible buffer, or a file (mapped read-only); null otherwise (gzip, pipes). Offsets
    /// are those of this stream. The caller disposes it; <see cref="JumpTo"/> then moves the stream past what it parsed.
    /// </summary>
    public WholeInput? OpenWholeInput()
    {
        if (_origin < 0)
            return null;
        if (_stream is MemoryStream memory && memory.TryGetBuffer(out var segment))
            return new WholeInput(segment.Array!, segment.Offset + _origin, memory.Length - _origin);
        if (_stream is FileStream file && file.Length - _origin is var length && length > 0)
        {
            var mapped = MappedFile.Open(file.Name);
            if (mapped.Length != file.Length)
            {
                mapped.Dispose();
                return null;
            }
            return new WholeInput(mapped, _origin, length);
        }
        return null;
    }

    /// <summary>
    /// Moves the stream to <paramref name="position"/> (ahead of <see cref="Position"/>, within <paramref name="whole"/>)
    /// without reading what lies between: for the caller that parsed those bytes itself. The reader is left as after
    /// whitespace, so the next token must be one that could follow the last one read (an element after <c>[</c>, the
    /// closing <c>]</c>); lines and offsets stay those of the input, so errors after the jump name the right byte.
    /// </summary>
    public void JumpTo(long position, WholeInput whole)
    {
        long from = Position;
        if (position == from)
            return;
        if (position < from || position > whole.Length || !_stream.CanSeek)
            throw new InvalidOperationException("JumpTo goes forward within the input only.");
        // The reader's state counts lines and bytes in the line: replay the skipped lines as bare newlines (what a
        // reader does with whitespace), and keep how far the column is behind on the line the jump lands on.
        long lines = 0, lastNewline = -1;
        for (long at = from; at < position;)
        {
            var part = whole.Slice(at, (int)Math.Min(position - at, 1 << 30));
            int count = part.Count((byte)'\n');
            if (count > 0)
            {
                lines += count;
                lastNewline = at + part.LastIndexOf((byte)'\n');
            }
            at += part.Length;
        }
        if (lines > 0)
        {
            Span<byte> newlines = stackalloc byte[4096];
            newlines.Fill((byte)'\n');
            var state = _state;
            for (long left = lines; left > 0;)
            {
                int n = (int)Math.Min(left, newlines.Length);
                var reader = new Utf8JsonReader(newlines[..n], isFinalBlock: false, state);
                reader.Read();
                state = reader.CurrentState;
                left -= n;
            }
            _state = state;
            _linesConsumed += lines;
            _lastLineStart = lastNewline + 1;
            _biasLine = _linesConsumed;
            _columnBias = position - _lastLineStart;
        }
        else
        {
            _columnBias = _biasLine == _linesConsumed ? _columnBias + (position - from) : position - from;
            _biasLine = _linesConsumed;
        }
        _stream.Position = _origin + position;
        _bufferOffset = position;
        _start = 0;
        _end = 0;
        _eof = false;
    }

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

    /// <summary>
    /// The lean single pass (issue 18): makes the next value, an object or array, available to be read once, by the
    /// caller, with the stream's own reader state, instead of tokenizing it here to find its end (<see cref="ReadValue"/>)
    /// and again in the caller. Its end is found by a structural scan (brackets outside strings, which the reader then
    /// checks); the reader in <paramref name="values"/> validates every byte as it goes. False when the next value is not
    /// an object or array, or is not complete before the end of the input: then the caller uses <see cref="ReadValue"/>,
    /// which gives today's errors. After the caller has read the value to its end it calls <see cref="EndValue"/>; when
    /// reading throws, it throws <see cref="Recheck"/>'s answer instead, so errors are those of the two-pass read.
    /// </summary>
    /// <param name="what">What the value is, for errors ("a trace event").</param>
    /// <param name="values">A reader positioned before the value's first token (after any comma).</param>
    /// <param name="value">The value's bytes, valid until the next read.</param>
    /// <param name="offset">Where the value starts in the input.</param>
    public bool TryBeginValue(string what, out JsonValues values, out ReadOnlySpan<byte> value, out long offset)
    {
        while (!TwoPassForComparison)
        {
            var rest = _buffer.AsSpan(_start, _end - _start);
            int end = ValueEnd(rest, out int begin);
            if (end > 0)
            {
                var span = rest[..end];
                values = new JsonValues(new Utf8JsonReader(span, isFinalBlock: true, _state), span, Position, _path, what);
                value = span[begin..];
                offset = Position + begin;
                return true;
            }
            if (end == NotAContainer || _eof || (_start == 0 && _end == _buffer.Length && _buffer.Length >= _maxValueBytes))
            {
                values = default;
                value = default;
                offset = 0;
                return false;
            }
            Fill();
        }
        values = default;
        value = default;
        offset = 0;
        return false;
    }

    /// <summary>
    /// Makes <see cref="TryBeginValue"/> always decline, so every value is read in two passes as before issue 18: only for
    /// the benchmarks that compare both reads in one run (the setting is process-wide).
    /// </summary>
    internal static bool TwoPassForComparison { get; set; }

    /// <summary>Moves past the value <see cref="TryBeginValue"/> handed out, which <paramref name="values"/> has read to its end.</summary>
    public void EndValue(ref JsonValues values)
    {
        TokenType = values.Reader.TokenType;
        Advance((int)values.Reader.BytesConsumed, values.Reader.CurrentState);
    }

    /// <summary>
    /// The error to throw when reading a value from <see cref="TryBeginValue"/> failed with <paramref name="failure"/>: the
    /// syntax error the two-pass read would have given first, if the value has one, else <paramref name="failure"/> itself
    /// (a <see cref="JsonException"/> turned into a <see cref="TraceFormatException"/> at its offset).
    /// </summary>
    public Exception Recheck(Exception failure)
    {
        var own = failure is JsonException json ? Malformed(json) : failure;
        try
        {
            ReadValue(out _);
        }
        catch (TraceFormatException syntax)
        {
            return syntax;
        }
        return own;
    }

    private const int NotAContainer = -2;


    /// <summary>
    /// Where the first value of <paramref name="s"/> (after whitespace and at most one comma) ends, exclusive, when it is an
    /// object or array complete in <paramref name="s"/>: brackets are counted outside strings (a backslash escapes the next
    /// byte). -1 when it does not end in <paramref name="s"/>, <see cref="NotAContainer"/> when it is not an object or array.
    /// Well-formed JSON ends exactly there; anything else is found by the reader that reads the value.
    /// </summary>
    internal static int ValueEnd(ReadOnlySpan<byte> s, out int begin)
    {
        begin = 0;
        int i = 0;
        bool comma = false;
        for (; i < s.Length; i++)
        {
            byte b = s[i];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                continue;
            if (b == (byte)',' && !comma)
            {
                comma = true;
                continue;
            }
            break;
        }
        if (i == s.Length)
            return -1;
        if (s[i] is not ((byte)'{' or (byte)'['))
            return NotAContainer;
        begin = i;
        int depth = 0;
        for (; i < s.Length; i++)
        {
            byte c = s[i];
            if (c == (byte)'"')
            {
                i = ClosingQuote(s, i);
                if (i < 0)
                    return -1;
            }
            else if (c is (byte)'{' or (byte)'[')
            {
                depth++;
            }
            else if (c is (byte)'}' or (byte)']' && --depth == 0)
            {
                return i + 1;
            }
        }
        return -1;
    }

    /// <summary>
    /// Where the string whose opening quote is at <paramref name="quote"/> ends (its closing quote), a backslash escaping
    /// the byte after it; −1 when it does not end in <paramref name="s"/>.
    /// </summary>
    internal static int ClosingQuote(ReadOnlySpan<byte> s, int quote)
    {
        int i = quote;
        while (true)
        {
            int k = s[(i + 1)..].IndexOfAny((byte)'"', (byte)'\\');
            if (k < 0)
                return -1;
            i += k + 1;
            if (s[i] == (byte)'"')
                return i;
            i++;
            if (i + 1 >= s.Length)
                return -1;
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
            if (line == _biasLine)
                column += _columnBias;
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

/// <summary>The whole input of a <see cref="JsonStream"/> (see <see cref="JsonStream.OpenWholeInput"/>): an array or a mapped file.</summary>
internal sealed unsafe class WholeInput : IDisposable
{
    private readonly byte[]? _array;
    private readonly MappedFile? _mapped;
    private readonly long _start;

    public WholeInput(byte[] array, long start, long length)
    {
        _array = array;
        _start = start;
        Length = length;
    }

    public WholeInput(MappedFile mapped, long start, long length)
    {
        _mapped = mapped;
        _start = start;
        Length = length;
    }

    /// <summary>Bytes from the stream's first position to the end.</summary>
    public long Length { get; }

    /// <summary>The bytes <c>[offset, offset + length)</c> in the stream's offsets; the caller has checked the range.</summary>
    public ReadOnlySpan<byte> Slice(long offset, int length) =>
        _array is not null ? _array.AsSpan((int)(_start + offset), length) : _mapped!.Slice(_start + offset, length);

    public void Dispose() => _mapped?.Dispose();
}
