using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace TraceQuery.Formats.Internals;

/// <summary>
/// Reading typed values out of one buffered JSON value (an event, a span) with <see cref="Utf8JsonReader"/>;
/// wrong types become a <see cref="TraceFormatException"/> at the token's absolute offset.
/// </summary>
internal ref struct JsonValues
{
    private readonly string _path;
    private readonly long _baseOffset;
    private readonly string _what;
    private readonly ReadOnlySpan<byte> _json;

    public Utf8JsonReader Reader;

    public JsonValues(ReadOnlySpan<byte> json, long baseOffset, string path, string what)
    {
        Reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
        _json = json;
        _baseOffset = baseOffset;
        _path = path;
        _what = what;
    }

    /// <summary>
    /// Reads with <paramref name="reader"/>, a reader over <paramref name="span"/> that continues another one (the stream's,
    /// see <see cref="JsonStream.TryBeginValue"/>); token offsets count from <paramref name="baseOffset"/>, where the span starts.
    /// </summary>
    public JsonValues(Utf8JsonReader reader, ReadOnlySpan<byte> span, long baseOffset, string path, string what)
    {
        Reader = reader;
        _json = span;
        _baseOffset = baseOffset;
        _path = path;
        _what = what;
    }

    public readonly long Offset => _baseOffset + Reader.TokenStartIndex;

    /// <summary>Reads the start of the value, which must be an object.</summary>
    public void ExpectObject()
    {
        Reader.Read();
        if (Reader.TokenType != JsonTokenType.StartObject)
            throw Error($"expected {_what} as a JSON object, found {Describe(Reader.TokenType)}");
    }

    /// <summary>Moves to the next property of the current object; false at its end.</summary>
    public bool NextProperty()
    {
        Reader.Read();
        return Reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>Moves into the value of the current property.</summary>
    public void Value() => Reader.Read();

    /// <summary>Skips the value of the current property.</summary>
    public void Skip() => Reader.Skip();

    /// <summary>The current value as a string (must be a string or null).</summary>
    public string? String(string field)
    {
        Value();
        return Reader.TokenType switch
        {
            JsonTokenType.String => Text(field),
            JsonTokenType.Null => null,
            _ => throw Error($"{_what} field '{field}' must be a string, not {Describe(Reader.TokenType)}"),
        };
    }

    /// <summary>The current string value as characters in <paramref name="buffer"/> (grown when too small); empty for null.</summary>
    public ReadOnlySpan<char> Chars(string field, ref char[] buffer)
    {
        Value();
        if (Reader.TokenType == JsonTokenType.Null)
            return [];
        if (Reader.TokenType != JsonTokenType.String)
            throw Error($"{_what} field '{field}' must be a string, not {Describe(Reader.TokenType)}");
        if (!TryCopyString(ref buffer, out int written))
            throw InvalidText(field);
        return buffer.AsSpan(0, written);
    }

    /// <summary>
    /// Copies the current string token into <paramref name="buffer"/> (grown when too small); false when its bytes are not
    /// valid UTF-8 or it holds an unpaired surrogate escape, so the caller words the format error.
    /// </summary>
    public readonly bool TryCopyString(ref char[] buffer, out int written)
    {
        int max = Reader.ValueSpan.Length;
        if (max > buffer.Length)
            buffer = new char[Math.Max(max, buffer.Length * 2)];
        try
        {
            written = Reader.CopyString(buffer);
            return true;
        }
        catch (InvalidOperationException)
        {
            written = 0;
            return false;
        }
    }

    /// <summary>The current string token's text; invalid UTF-8 or an unpaired surrogate escape is a format error (found by fuzzing: it was an InvalidOperationException).</summary>
    public readonly string Text(string field)
    {
        try
        {
            return Reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw InvalidText(field);
        }
    }

    private readonly TraceFormatException InvalidText(string field) =>
        Error($"{_what} field '{field}' is not valid UTF-8 text (invalid bytes or an unpaired surrogate escape)");

    /// <summary>A non-negative integer given as a JSON number or a string of digits (protobuf JSON allows both for 64-bit fields).</summary>
    public ulong UInt64(string field)
    {
        Value();
        var text = Reader.TokenType switch
        {
            JsonTokenType.Number => Reader.ValueSpan,
            JsonTokenType.String when !Reader.ValueIsEscaped => Reader.ValueSpan,
            JsonTokenType.Null => "0"u8,
            _ => throw Error($"{_what} field '{field}' must be an integer as a number or a string of digits, not {Describe(Reader.TokenType)}"),
        };
        if (Utf8Parser.TryParse(text, out ulong value, out int used) && used == text.Length)
            return value;
        // 1.7e18 or 1700000000000000000.0: allowed by JSON, exact when integral.
        if (Utf8Parser.TryParse(text, out decimal d, out used, 'E') && used == text.Length && d >= 0 && d <= ulong.MaxValue && d == decimal.Truncate(d))
            return (ulong)d;
        throw Error($"{_what} field '{field}' holds '{System.Text.Encoding.UTF8.GetString(text)}', which is not a non-negative integer");
    }

    /// <summary>A signed integer (number or numeric string).</summary>
    public long Int64(string field)
    {
        Value();
        var text = Reader.TokenType switch
        {
            JsonTokenType.Number => Reader.ValueSpan,
            JsonTokenType.String when !Reader.ValueIsEscaped => Reader.ValueSpan,
            _ => throw Error($"{_what} field '{field}' must be an integer, not {Describe(Reader.TokenType)}"),
        };
        if (Utf8Parser.TryParse(text, out long value, out int used) && used == text.Length)
            return value;
        if (Utf8Parser.TryParse(text, out double d, out used) && used == text.Length && d == Math.Floor(d) && Math.Abs(d) < 9e18)
            return (long)d;
        throw Error($"{_what} field '{field}' holds '{System.Text.Encoding.UTF8.GetString(text)}', which is not an integer");
    }

    /// <summary>
    /// Microseconds (possibly fractional, possibly in exponent form) as whole nanoseconds, exactly for up to three
    /// decimals; rounded to the nearest nanosecond beyond. Negative values are an error.
    /// </summary>
    public ulong Microseconds(string field)
    {
        Value();
        if (Reader.TokenType != JsonTokenType.Number)
            throw Error($"{_what} field '{field}' must be a number of microseconds, not {Describe(Reader.TokenType)}");
        var text = Reader.ValueSpan;
        if (TryMicrosecondsToNs(text, out ulong ns) && ns <= long.MaxValue)
            return ns;
        throw Error($"{_what} field '{field}' holds {System.Text.Encoding.UTF8.GetString(text)}, which is not a non-negative number of microseconds that fits in signed 64-bit nanoseconds");
    }

    /// <summary>Parses a plain decimal <c>123.4567</c> into nanoseconds without going through a double.</summary>
    public static bool TryMicrosecondsToNs(ReadOnlySpan<byte> text, out ulong ns)
    {
        ns = 0;
        int i = 0;
        ulong whole = 0;
        for (; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
        {
            if (whole > (ulong.MaxValue / 10_000))
                return false;
            whole = (whole * 10) + (uint)(text[i] - '0');
        }
        if (i == 0)
            return TrySlow(text, out ns);
        ulong fraction = 0;
        int digits = 0;
        bool roundUp = false;
        if (i < text.Length && text[i] == '.')
        {
            for (i++; i < text.Length && (uint)(text[i] - '0') <= 9; i++)
            {
                if (digits < 3)
                {
                    fraction = (fraction * 10) + (uint)(text[i] - '0');
                    digits++;
                }
                else if (digits == 3)
                {
                    roundUp = text[i] >= '5';
                    digits++;
                }
            }
        }
        if (i != text.Length)
            return TrySlow(text, out ns);
        for (int d = Math.Min(digits, 3); d < 3; d++)
            fraction *= 10;
        if (whole > (ulong.MaxValue - 1_000) / 1_000)
            return false;
        ns = (whole * 1_000) + fraction + (roundUp ? 1UL : 0UL);
        return true;
    }

    private static bool TrySlow(ReadOnlySpan<byte> text, out ulong ns)
    {
        ns = 0;
        if (!Utf8Parser.TryParse(text, out decimal d, out int used, 'E') || used != text.Length)
        {
            if (!Utf8Parser.TryParse(text, out double x, out used, 'E') || used != text.Length || !(x >= 0) || x * 1000 >= 1.8e19)
                return false;
            ns = (ulong)Math.Round(x * 1000);
            return true;
        }
        if (d < 0 || d * 1000 > ulong.MaxValue)
            return false;
        ns = (ulong)decimal.Round(d * 1000, MidpointRounding.AwayFromZero);
        return true;
    }

    /// <summary>The raw JSON text of the current value (for an error detail that is not a string), at most <paramref name="max"/> bytes.</summary>
    public string RawText(int max)
    {
        Value();
        if (Reader.TokenType == JsonTokenType.String)
            return Text("error");
        long start = Reader.TokenStartIndex;
        if (Reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            Reader.Skip();
        long end = Reader.BytesConsumed;
        var raw = _json[(int)start..(int)end];
        return System.Text.Encoding.UTF8.GetString(raw[..Math.Min(raw.Length, max)]);
    }

    /// <summary>
    /// The raw JSON bytes of the value the reader is on (a scalar token, or a whole object or array, which this skips),
    /// without copying.
    /// </summary>
    public ReadOnlySpan<byte> CurrentRaw()
    {
        long start = Reader.TokenStartIndex;
        if (Reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            Reader.Skip();
        long end = Reader.BytesConsumed;
        return _json[(int)start..(int)end];
    }

    public readonly TraceFormatException Error(string problem) => new(_path, Offset, problem + ".");

    public static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
