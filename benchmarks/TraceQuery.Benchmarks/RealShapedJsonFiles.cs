using System.Buffers.Text;
using System.Text.Json;

namespace TraceQuery.Benchmarks;

/// <summary>
/// The largest real Chrome trace in <c>../shared/fixtures/real-traces</c> (webpack 5's ProfilingPlugin, 1.5 MB: hook
/// spans and one instant record holding a whole CPU profile), and a ~100 MB real-shaped file made from it in the
/// benchmark setup (never committed): the file's event array written again and again, each copy's <c>ts</c> shifted
/// past the previous copy's last time, so every record is one the real producer wrote.
/// </summary>
public static class RealShapedJsonFiles
{
    private static readonly Lock Gate = new();

    /// <summary>The real file as it is.</summary>
    public static string LargestReal { get; } = FindFixture("webpack5-profiling-plugin-events.json");

    /// <summary>The ~100 MB (or <see cref="JsonBenchmarkFiles.TargetMegabytes"/>) copy-and-shift file, made on first use.</summary>
    public static string RealShaped
    {
        get
        {
            lock (Gate)
            {
                string directory = Path.Combine(Path.GetTempPath(), "tracequery-bench", $"json-{JsonBenchmarkFiles.TargetMegabytes}mb");
                string path = Path.Combine(directory, "real-shaped-webpack5.json");
                if (File.Exists(path))
                    return path;
                Directory.CreateDirectory(directory);
                Write(LargestReal, path + ".tmp", (long)JsonBenchmarkFiles.TargetMegabytes * 1_000_000);
                File.Move(path + ".tmp", path, overwrite: true);
                return path;
            }
        }
    }

    private static string FindFixture(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "..", "shared", "fixtures", "real-traces", name);
            if (File.Exists(candidate))
                return Path.GetFullPath(candidate);
        }
        throw new FileNotFoundException("real-traces fixture not found beside the repository", name);
    }

    /// <summary>Writes the source's events (a bare array) copy after copy, ts shifted, until the target size.</summary>
    private static void Write(string source, string destination, long targetBytes)
    {
        byte[] bytes = File.ReadAllBytes(source);
        var events = new List<(int Start, int End, int TsStart, int TsEnd, decimal Ts)>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 1000 });
        reader.Read(); // [
        decimal min = decimal.MaxValue, max = decimal.MinValue;
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            int start = (int)reader.TokenStartIndex;
            int tsStart = -1, tsEnd = -1;
            decimal ts = 0;
            int depth = reader.CurrentDepth;
            while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("ts"u8))
                {
                    reader.Read();
                    tsStart = (int)reader.TokenStartIndex;
                    tsEnd = tsStart + reader.ValueSpan.Length;
                    ts = reader.GetDecimal();
                    min = Math.Min(min, ts);
                    max = Math.Max(max, ts);
                }
                else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
            events.Add((start, (int)reader.TokenStartIndex + 1, tsStart, tsEnd, ts));
        }
        decimal shift = max - min + 1000;
        using var output = new FileStream(destination, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        output.Write("["u8);
        long written = 1;
        bool first = true;
        Span<byte> number = stackalloc byte[64];
        for (int copy = 0; written < targetBytes; copy++)
        {
            foreach (var e in events)
            {
                if (!first)
                    output.Write(",\n"u8);
                first = false;
                if (e.TsStart < 0)
                {
                    output.Write(bytes.AsSpan(e.Start, e.End - e.Start));
                }
                else
                {
                    output.Write(bytes.AsSpan(e.Start, e.TsStart - e.Start));
                    Utf8Formatter.TryFormat(e.Ts + (copy * shift), number, out int length);
                    output.Write(number[..length]);
                    output.Write(bytes.AsSpan(e.TsEnd, e.End - e.TsEnd));
                }
                written += e.End - e.Start + 2;
            }
        }
        output.Write("]\n"u8);
    }
}
