using System.Globalization;
using System.Text.Json;
using TraceQuery.Model;

namespace TraceQuery.Formats.Atf;

/// <summary>The contents of an ATF session's manifest.json.</summary>
public sealed record AtfManifest
{
    /// <summary>Threads the session declared.</summary>
    public IReadOnlyList<AtfManifestThread> Threads { get; init; } = [];

    /// <summary>Declared start time (the original tracer writes 0).</summary>
    public ulong TimeStartNs { get; init; }

    /// <summary>Declared end time (the original tracer writes 0).</summary>
    public ulong TimeEndNs { get; init; }

    /// <summary>Declared clock type (the original tracer writes 1).</summary>
    public byte ClockType { get; init; }

    /// <summary>"2.1" when symbols were resolved, "2.0" otherwise.</summary>
    public string? FormatVersion { get; init; }

    /// <summary>Modules, in file order.</summary>
    public IReadOnlyList<ModuleInfo> Modules { get; init; } = [];

    /// <summary>Symbols, in file order.</summary>
    public IReadOnlyList<SymbolInfo> Symbols { get; init; } = [];

    /// <summary>Parses manifest.json bytes; <paramref name="path"/> names the file in errors.</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="path">The file, for error messages.</param>
    /// <param name="options">Caps on nesting, symbol count and string length (<see cref="AtfReadOptions.Default"/> when null).</param>
    /// <exception cref="TraceFormatException">The JSON is malformed, a field has the wrong type, or a cap is exceeded.</exception>
    public static AtfManifest Parse(ReadOnlySpan<byte> utf8Json, string path, AtfReadOptions? options = null)
    {
        options ??= AtfReadOptions.Default;
        options.Validate();
        int maxString = options.MaxStringLength;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = Math.Min(options.MaxJsonDepth, 1000) });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new TraceFormatException(path, ByteOffset(utf8Json, e), $"manifest.json is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1} of that line): {e.Message}", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Field(path, "$", "must be a JSON object");

            var threads = new List<AtfManifestThread>();
            foreach (var (t, at) in ObjectsOf(root, "threads", path, nullMeansNone: false))
            {
                uint id = (uint)RequiredUnsigned(t, "id", at, path, uint.MaxValue);
                bool hasDetail = t.TryGetProperty("has_detail", out var hd) && hd.ValueKind == JsonValueKind.True;
                threads.Add(new AtfManifestThread(id, hasDetail));
            }

            var modules = new List<ModuleInfo>();
            foreach (var (m, at) in ObjectsOf(root, "modules", path, nullMeansNone: true, symbolCap: (0, options.MaxSymbols)))
            {
                uint moduleId = (uint)RequiredUnsigned(m, "module_id", at, path, uint.MaxValue);
                string modulePath = OptionalString(m, "path", at, path, maxString) ?? SymbolTable.UnknownModuleName(moduleId);
                modules.Add(new ModuleInfo(
                    moduleId,
                    modulePath,
                    OptionalUnsigned(m, "base_address", at, path),
                    OptionalUnsigned(m, "size", at, path),
                    OptionalString(m, "uuid", at, path, maxString)));
            }

            var symbols = new List<SymbolInfo>();
            foreach (var (s, at) in ObjectsOf(root, "symbols", path, nullMeansNone: true, symbolCap: (modules.Count, options.MaxSymbols)))
            {
                ulong functionId;
                if (s.TryGetProperty("function_id", out _))
                {
                    functionId = RequiredUnsigned(s, "function_id", at, path, ulong.MaxValue);
                }
                else
                {
                    uint moduleId = (uint)RequiredUnsigned(s, "module_id", at, path, uint.MaxValue);
                    uint symbolIndex = (uint)RequiredUnsigned(s, "symbol_index", at, path, uint.MaxValue);
                    functionId = SymbolTable.MakeFunctionId(moduleId, symbolIndex);
                }
                string name = OptionalString(s, "name", at, path, maxString) ?? throw Field(path, at + ".name", "is required");
                symbols.Add(new SymbolInfo(functionId, name));
            }

            return new AtfManifest
            {
                Threads = threads,
                TimeStartNs = OptionalUnsigned(root, "time_start_ns", "$", path) ?? 0,
                TimeEndNs = OptionalUnsigned(root, "time_end_ns", "$", path) ?? 0,
                ClockType = (byte)Math.Min(OptionalUnsigned(root, "clock_type", "$", path) ?? 0, byte.MaxValue),
                FormatVersion = OptionalString(root, "format_version", "$", path, maxString),
                Modules = modules,
                Symbols = symbols,
            };
        }
    }

    /// <summary>Serializes the manifest the way the original tracer lays it out (ids as <c>"0x%016x"</c>).</summary>
    public byte[] ToUtf8Json()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("threads");
            foreach (var t in Threads)
            {
                w.WriteStartObject();
                w.WriteNumber("id", t.Id);
                w.WriteBoolean("has_detail", t.HasDetail);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("time_start_ns", TimeStartNs);
            w.WriteNumber("time_end_ns", TimeEndNs);
            w.WriteNumber("clock_type", ClockType);
            if (Modules.Count > 0 || Symbols.Count > 0)
            {
                w.WriteStartArray("modules");
                foreach (var m in Modules)
                {
                    w.WriteStartObject();
                    w.WriteNumber("module_id", m.ModuleId);
                    w.WriteString("path", m.Path);
                    if (m.BaseAddress is { } b)
                        w.WriteString("base_address", "0x" + b.ToString("x", CultureInfo.InvariantCulture));
                    if (m.Size is { } size)
                        w.WriteNumber("size", size);
                    if (m.Uuid is { } uuid)
                        w.WriteString("uuid", uuid);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("symbols");
                foreach (var s in Symbols)
                {
                    w.WriteStartObject();
                    w.WriteString("function_id", "0x" + s.FunctionId.ToString("x16", CultureInfo.InvariantCulture));
                    w.WriteNumber("module_id", s.ModuleId);
                    w.WriteNumber("symbol_index", s.SymbolIndex);
                    w.WriteString("name", s.Name);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (FormatVersion is not null)
                w.WriteString("format_version", FormatVersion);
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static long? ByteOffset(ReadOnlySpan<byte> json, JsonException e)
    {
        if (e.LineNumber is not { } line || e.BytePositionInLine is not { } column)
            return null;
        long offset = 0;
        for (long l = 0; l < line; l++)
        {
            int newline = json[(int)offset..].IndexOf((byte)'\n');
            if (newline < 0)
                return null;
            offset += newline + 1;
        }
        return offset + column;
    }

    private static TraceFormatException Field(string path, string jsonPath, string problem) =>
        new(path, null, $"manifest.json {jsonPath} {problem}.");

    private static ulong RequiredUnsigned(JsonElement element, string name, string at, string path, ulong max) =>
        OptionalUnsigned(element, name, at, path, max) ?? throw Field(path, $"{at}.{name}", "is required");

    /// <summary>Reads an unsigned integer given as a JSON number or as a decimal or <c>0x</c> hex string.</summary>
    private static ulong? OptionalUnsigned(JsonElement element, string name, string at, string path, ulong max = ulong.MaxValue)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        ulong result;
        bool ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetUInt64(out result),
            JsonValueKind.String => TryParseUnsigned(Text(value, path, $"{at}.{name}"), out result),
            _ => (result = 0) != 0,
        };
        if (!ok)
            throw Field(path, $"{at}.{name}", $"must be an unsigned integer (a number or a \"0x…\" hex string), not {Describe(value)}");
        if (result > max)
            throw Field(path, $"{at}.{name}", $"is {result}, above the largest allowed value {max}");
        return result;
    }

    private static bool TryParseUnsigned(string text, out ulong value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string? OptionalString(JsonElement element, string name, string at, string path, int maxLength)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw Field(path, $"{at}.{name}", $"must be a string, not {Describe(value)}");
        string text = Text(value, path, $"{at}.{name}");
        if (text.Length > maxLength)
            throw Field(path, $"{at}.{name}", $"is {text.Length:N0} characters long, more than the {maxLength:N0} AtfReadOptions.MaxStringLength allows");
        return text;
    }

    /// <summary>
    /// The objects of the root's array <paramref name="name"/>, each with its JSON path (<c>$.name[i]</c>), one at a
    /// time so that problems are reported in file order. None when the field is absent, or null and
    /// <paramref name="nullMeansNone"/>. With <paramref name="symbolCap"/>, the entries counted before plus this
    /// array's length are held to AtfReadOptions.MaxSymbols before any entry is read.
    /// </summary>
    private static IEnumerable<(JsonElement Item, string At)> ObjectsOf(JsonElement root, string name, string path, bool nullMeansNone, (int Before, int Max)? symbolCap = null)
    {
        if (!root.TryGetProperty(name, out var array) || (nullMeansNone && array.ValueKind == JsonValueKind.Null))
            yield break;
        if (array.ValueKind != JsonValueKind.Array)
            throw Field(path, "$." + name, "must be an array");
        if (symbolCap is var (before, max) && before + array.GetArrayLength() is var count && count > max)
            throw Field(path, "$." + name, $"brings the modules and symbols to {count:N0}, more than the {max:N0} AtfReadOptions.MaxSymbols allows");
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            string at = $"$.{name}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw Field(path, at, "must be an object");
            yield return (item, at);
        }
    }

    /// <summary>A string's text; invalid UTF-8 or an unpaired surrogate escape is a format error, not an InvalidOperationException.</summary>
    private static string Text(JsonElement value, string path, string jsonPath)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Field(path, jsonPath, "is not valid UTF-8 text (invalid bytes or an unpaired surrogate escape)");
        }
    }

    private static string Describe(JsonElement value)
    {
        string raw = value.GetRawText();
        if (raw.Length > 40)
            raw = raw[..40] + "…";
        return $"{value.ValueKind.ToString().ToLowerInvariant()} {raw}";
    }

    internal static AtfManifest FromUtf8File(string path, AtfReadOptions options)
    {
        long length = new FileInfo(path).Length;
        if (length > options.MaxManifestBytes)
            throw new TraceFormatException(path, null, $"manifest.json is {length:N0} bytes; more than the {options.MaxManifestBytes:N0} bytes AtfReadOptions.MaxManifestBytes allows.");
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        return Parse(bytes, path, options);
    }
}
