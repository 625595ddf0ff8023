using System.Text.Json;

namespace TraceQuery.Benchmarks;

/// <summary>
/// The parser-speed baseline of issue 18: one bare <see cref="Utf8JsonReader"/> pass over a file's bytes that reads
/// every number (as a double) and touches every string token, building nothing. The file is read into memory first
/// (from the page cache), as part of the measured work.
/// </summary>
public static class BareJsonPass
{
    /// <summary>Reads <paramref name="path"/> and walks every token; returns a checksum so the work is not dropped.</summary>
    public static double Run(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 1000 });
        double sum = 0;
        long strings = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Number:
                    sum += reader.GetDouble();
                    break;
                case JsonTokenType.String:
                case JsonTokenType.PropertyName:
                    strings += reader.ValueSpan.Length;
                    break;
            }
        }
        return sum + strings;
    }
}
