using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text.Json;
using TraceQuery.Formats.Internals;

namespace TraceQuery.Formats.Otlp;

/// <summary>Trace and span ids as producers write them, and field names in both spellings.</summary>
internal sealed partial class OtlpSpanCollector
{
    /// <summary>True when the property name is the JSON name or the protobuf field name of one field.</summary>
    private static bool Is(ref Utf8JsonReader reader, ReadOnlySpan<byte> jsonName, ReadOnlySpan<byte> protoName) =>
        reader.ValueTextEquals(jsonName) || reader.ValueTextEquals(protoName);

    private static (ulong Hi, ulong Lo) TraceId(ref JsonValues v, string field)
    {
        Span<byte> id = stackalloc byte[16];
        if (!ReadId(ref v, field, id))
            return (0, 0);
        return (BinaryPrimitives.ReadUInt64BigEndian(id), BinaryPrimitives.ReadUInt64BigEndian(id[8..]));
    }

    private static ulong SpanId(ref JsonValues v, string field)
    {
        Span<byte> id = stackalloc byte[8];
        return ReadId(ref v, field, id) ? BinaryPrimitives.ReadUInt64BigEndian(id) : 0;
    }

    /// <summary>
    /// Reads an id of <c>id.Length</c> bytes written as hex (OTLP/JSON) or base64 (the protobuf JSON mapping of
    /// <c>bytes</c>, as Go's jsonpb and Tempo write it; standard or URL alphabet, padded or not). False for null or "".
    /// </summary>
    private static bool ReadId(ref JsonValues v, string field, scoped Span<byte> id)
    {
        v.Value();
        if (v.Reader.TokenType == JsonTokenType.Null)
            return false;
        if (v.Reader.TokenType != JsonTokenType.String)
            throw v.Error($"'{field}' must be a string of hex digits or base64, not {JsonValues.Describe(v.Reader.TokenType)}");
        var raw = v.Reader.ValueSpan;
        if (raw.Length > 128)
            throw v.Error($"'{field}' is {raw.Length} characters long; an id is {id.Length * 2} hex digits or {((id.Length + 2) / 3) * 4} base64 characters");
        // Decoded in place unless escaped (then unescaped into a small buffer first).
        Span<byte> text = stackalloc byte[128];
        scoped ReadOnlySpan<byte> chars = raw;
        if (v.Reader.ValueIsEscaped)
        {
            try
            {
                chars = text[..v.Reader.CopyString(text)];
            }
            catch (InvalidOperationException)
            {
                throw v.Error($"'{field}' is not valid UTF-8 text");
            }
        }
        if (chars.IsEmpty)
            return false;
        if (chars.Length == id.Length * 2 && TryHex(chars, id))
            return true;
        if (TryBase64(chars, id))
            return true;
        throw v.Error($"'{field}' holds '{System.Text.Encoding.UTF8.GetString(chars[..Math.Min(chars.Length, 64)])}', which is neither {id.Length * 2} hex digits nor the base64 of {id.Length} bytes");
    }

    private static bool TryHex(ReadOnlySpan<byte> hex, Span<byte> into)
    {
        var digits = HexDigits;
        int bad = 0;
        for (int i = 0; i < into.Length; i++)
        {
            int high = digits[hex[2 * i]], low = digits[hex[(2 * i) + 1]];
            bad |= high | low;
            into[i] = (byte)((high << 4) | low);
        }
        return bad >= 0;
    }

    /// <summary>
    /// Each byte's value as a hex digit, -1 for a byte that is not one: a table, not comparisons, since the digits and
    /// letters of random ids defeat branch prediction (issue 18, read speed: id decoding was 4% of an OTLP read).
    /// </summary>
    private static readonly sbyte[] HexDigits = MakeHexDigits();

    private static sbyte[] MakeHexDigits()
    {
        var table = new sbyte[256];
        for (int c = 0; c < 256; c++)
        {
            table[c] = c switch
            {
                >= '0' and <= '9' => (sbyte)(c - '0'),
                >= 'a' and <= 'f' => (sbyte)(c - 'a' + 10),
                >= 'A' and <= 'F' => (sbyte)(c - 'A' + 10),
                _ => -1,
            };
        }
        return table;
    }

    private static bool TryBase64(ReadOnlySpan<byte> text, Span<byte> into)
    {
        // Normalise the URL alphabet and missing padding, then decode exactly into.Length bytes.
        int padded = (text.Length + 3) / 4 * 4;
        if (padded > 64 || padded != ((into.Length + 2) / 3) * 4)
            return false;
        Span<byte> normal = stackalloc byte[64];
        for (int i = 0; i < text.Length; i++)
            normal[i] = text[i] switch { (byte)'-' => (byte)'+', (byte)'_' => (byte)'/', var c => c };
        normal[text.Length..padded].Fill((byte)'=');
        Span<byte> decoded = stackalloc byte[48];
        return Base64.DecodeFromUtf8(normal[..padded], decoded, out _, out int written) == OperationStatus.Done && written == into.Length
            && decoded[..written].TryCopyTo(into);
    }
}
