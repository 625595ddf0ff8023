using System.Text;
using System.Text.Json;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Chrome;

/// <summary>
/// Reads one event's <c>args</c> object without a DOM: flattens nested objects to dotted keys (<c>data.url</c>), keeps
/// arrays as their JSON text, clips long values at <see cref="TraceBuilder.DefaultMaxAttributeValueLength"/> without
/// materialising them, and picks out what the reader maps (<c>error</c>, a metadata <c>name</c>/<c>labels</c>, counter
/// values, CPU profile samples). One instance per reader: its buffers are reused from event to event.
/// </summary>
internal sealed class ChromeArgs(FunctionNames strings)
{
    /// <summary>Nested objects deeper than this are kept as their JSON text.</summary>
    private const int MaxFlattenDepth = 8;

    /// <summary>Values up to this many characters are interned: short values (types, categories, flags) repeat a lot.</summary>
    private const int MaxInternedLength = 64;

    private readonly int _maxLength = TraceBuilder.DefaultMaxAttributeValueLength;
    private readonly List<KeyValuePair<string, string>> _items = [];
    private readonly List<(string Key, double Value)> _numbers = [];
    private char[] _key = new char[64];
    private char[] _chars = new char[256];

    /// <summary>The attributes read by the last <see cref="Read"/>, in file order (valid until the next call).</summary>
    public List<KeyValuePair<string, string>> Items => _items;

    /// <summary>Top-level numeric values of the last <see cref="Read"/> (a counter's series), in file order.</summary>
    public List<(string Key, double Value)> Numbers => _numbers;

    /// <summary>The top-level <c>error</c> entry: its text, <c>""</c> for <c>true</c>, null when absent, false or null.</summary>
    public string? Error { get; private set; }

    /// <summary>The top-level <c>name</c> string (metadata events name threads and processes with it).</summary>
    public string? Name { get; private set; }

    /// <summary>The top-level <c>labels</c> string (<c>process_labels</c>).</summary>
    public string? Labels { get; private set; }

    /// <summary>Elements of <c>data.cpuProfile.samples</c>: V8 CPU profile samples carried by the event.</summary>
    public long Samples { get; private set; }

    /// <summary>Clears what the last event left.</summary>
    public void Reset()
    {
        _items.Clear();
        _numbers.Clear();
        Error = null;
        Name = null;
        Labels = null;
        Samples = 0;
    }

    /// <summary>Reads the <c>args</c> value the reader is at (an object, or null).</summary>
    public void Read(ref JsonValues v)
    {
        v.Value();
        if (v.Reader.TokenType == JsonTokenType.Null)
            return;
        if (v.Reader.TokenType != JsonTokenType.StartObject)
            throw v.Error($"'args' must be an object, not {JsonValues.Describe(v.Reader.TokenType)}");
        ReadObject(ref v, 0, 0);
    }

    /// <summary>The attributes of the last event as an array, or null when it had none.</summary>
    public KeyValuePair<string, string>[]? TakeItems() => _items.Count == 0 ? null : [.. _items];

    private void ReadObject(ref JsonValues v, int prefixLength, int depth)
    {
        while (v.NextProperty())
        {
            int keyLength = AppendKey(ref v, prefixLength);
            v.Value();
            var r = v.Reader;
            string key;
            switch (r.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray when depth == 0 && _key.AsSpan(0, keyLength).SequenceEqual("error"):
                    // An error object is the error's text as written (the exception message shows it whole).
                    Error = RawText(ref v);
                    _items.Add(new("error", Error));
                    continue;
                case JsonTokenType.StartObject when depth < MaxFlattenDepth:
                    ReadObject(ref v, keyLength, depth + 1);
                    continue;
                case JsonTokenType.StartObject:
                    key = strings.Intern(_key.AsSpan(0, keyLength));
                    _items.Add(new(key, RawText(ref v)));
                    continue;
                case JsonTokenType.StartArray:
                    key = strings.Intern(_key.AsSpan(0, keyLength));
                    if (key == "data.cpuProfile.samples")
                        Samples += CountElements(v.Reader);
                    _items.Add(new(key, RawText(ref v)));
                    continue;
                case JsonTokenType.String:
                    {
                        key = strings.Intern(_key.AsSpan(0, keyLength));
                        string text = StringText(ref v, key);
                        if (depth == 0)
                        {
                            if (key == "name")
                                Name = text;
                            else if (key == "labels")
                                Labels = text;
                            else if (key == "error")
                                Error = text;
                        }
                        _items.Add(new(key, text));
                        continue;
                    }
                default:
                    {
                        key = strings.Intern(_key.AsSpan(0, keyLength));
                        var raw = r.ValueSpan;
                        string text = strings.Intern(Encoding.UTF8.GetString(raw));
                        if (depth == 0)
                        {
                            if (r.TokenType == JsonTokenType.Number && r.TryGetDouble(out double number))
                                _numbers.Add((key, number));
                            else if (key == "error")
                                Error = r.TokenType == JsonTokenType.True ? "" : r.TokenType is JsonTokenType.False or JsonTokenType.Null ? null : text;
                        }
                        _items.Add(new(key, text));
                        continue;
                    }
            }
        }
    }

    /// <summary>Writes <c>prefix.name</c> of the current property into the key buffer; returns its length.</summary>
    private int AppendKey(ref JsonValues v, int prefixLength)
    {
        var r = v.Reader;
        int needed = prefixLength + 1 + (r.HasValueSequence ? (int)r.ValueSequence.Length : r.ValueSpan.Length);
        if (needed > _key.Length)
            Array.Resize(ref _key, Math.Max(needed, _key.Length * 2));
        int at = prefixLength;
        if (prefixLength > 0)
            _key[at++] = '.';
        try
        {
            at += r.CopyString(_key.AsSpan(at));
        }
        catch (InvalidOperationException)
        {
            throw v.Error("an 'args' key is not valid UTF-8 text (invalid bytes or an unpaired surrogate escape)");
        }
        return at;
    }

    private string StringText(ref JsonValues v, string key)
    {
        if (!v.TryCopyString(ref _chars, out int written))
            throw v.Error($"'args.{key}' is not valid UTF-8 text (invalid bytes or an unpaired surrogate escape)");
        var text = _chars.AsSpan(0, written);
        if (written > _maxLength)
            return EventAttributes.Clip(text, written, _maxLength);
        return written <= MaxInternedLength ? strings.Intern(text) : text.ToString();
    }

    /// <summary>The JSON text of an object or array, clipped without decoding more than the bound.</summary>
    private string RawText(ref JsonValues v)
    {
        var raw = v.CurrentRaw();
        if (raw.Length <= _maxLength)
            return Encoding.UTF8.GetString(raw);
        int total = Encoding.UTF8.GetCharCount(raw);
        if (total <= _maxLength)
            return Encoding.UTF8.GetString(raw);
        int cut = _maxLength;
        while (cut > 0 && (raw[cut] & 0xC0) == 0x80)
            cut--;
        int chars = Encoding.UTF8.GetChars(raw[..cut], _chars.Length >= cut ? _chars : _chars = new char[cut]);
        return EventAttributes.Clip(_chars.AsSpan(0, chars), total, _maxLength);
    }

    /// <summary>Elements of the array the reader (a copy) is at.</summary>
    private static long CountElements(Utf8JsonReader r)
    {
        long count = 0;
        int depth = r.CurrentDepth;
        while (r.Read() && r.CurrentDepth > depth)
        {
            if (r.CurrentDepth == depth + 1 && r.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
            {
                count++;
                if (r.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject)
                    r.Skip();
            }
        }
        return count;
    }
}
