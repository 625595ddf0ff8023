using System.Text.Json;

namespace TraceQuery.Tests.Infrastructure;

/// <summary>
/// The real traces in <c>../shared/fixtures/real-traces</c> (beside the repository, never copied into it) and the facts
/// computed for them independently (<c>expected.json</c>).
/// </summary>
internal static class RealTraceFiles
{
    /// <summary>The folder of the real traces.</summary>
    public static string Root { get; } = Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "fixtures", "real-traces"));

    private static readonly Lazy<JsonDocument> Expected = new(() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Root, "expected.json"))));

    /// <summary>The path of one real trace.</summary>
    public static string PathOf(string file) => Path.Combine(Root, file);

    /// <summary>The facts of one file from <c>expected.json</c>.</summary>
    public static JsonElement Facts(string file) => Expected.Value.RootElement.GetProperty("files").GetProperty(file);

    /// <summary>Every file of the given format (<c>chrome</c>, <c>otlp</c>), by name.</summary>
    public static IEnumerable<string> Files(string format) =>
        Expected.Value.RootElement.GetProperty("files").EnumerateObject()
            .Where(f => f.Value.GetProperty("format").GetString() == format)
            .Select(f => f.Name)
            .OrderBy(n => n, StringComparer.Ordinal);
}
