using TraceQuery.Analysis;
using TraceQuery.Formats;
using TraceQuery.Formats.Atf;
using TraceQuery.Formats.Chrome;
using TraceQuery.Formats.Otlp;
using TraceQuery.Model;
using TraceQuery.Tests.Analysis;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Formats.Json;

[TestClass]
public sealed class GoldenFormatsTests
{
    private static readonly Analyzer Analyzer = new();

    /// <summary>
    /// Findings as text, with function ids replaced by names (ids are format-specific hashes). Detectors break
    /// ties between functions by id, so lists of equally ranked items ("a ×1, b ×1") and evidence are sorted.
    /// </summary>
    private static string Render(ExecutionTrace trace)
    {
        var result = Analyzer.Analyze(trace);
        return string.Join("\n", result.Findings.Select(f =>
            $"[{f.Severity}] {f.Kind}: {f.Title}\n  {SortTies(f.Rationale)}\n  evidence: "
            + string.Join(' ', f.Evidence.Select(e => e.Kind == EvidenceKind.Function ? "fn:" + trace.Symbols.GetName(e.Value) : e.ToString()).Order(StringComparer.Ordinal))));
    }

    private static string SortTies(string rationale)
    {
        int colon = rationale.LastIndexOf(": ", StringComparison.Ordinal);
        if (colon < 0 || !rationale.EndsWith('.') || !rationale.Contains(" ×", StringComparison.Ordinal))
            return rationale;
        var items = rationale[(colon + 2)..^1].Split(", ");
        return rationale[..(colon + 2)] + string.Join(", ", items.Order(StringComparer.Ordinal)) + ".";
    }

    [TestMethod]
    [DataRow("crash")]
    [DataRow("hang")]
    [DataRow("leak")]
    [DataRow("outlier")]
    public void Analyze_GoldenWrittenAsChromeAndOtlp_ThenSameFindingsAsAtf(string golden)
    {
        string dir = TestPaths.NewTempDirectory("golden-" + golden);
        using (var generated = GoldenTraces.Create(golden))
        {
            AtfWriter.Write(generated, Path.Combine(dir, "atf"));
            ChromeTraceWriter.Write(generated, Path.Combine(dir, "trace.json"));
            OtlpJsonWriter.Write(generated, Path.Combine(dir, "otlp.json"));
            OtlpJsonWriter.Write(generated, Path.Combine(dir, "otlp.jsonl"), jsonLines: true);
        }
        using var atf = TraceFile.Open(Path.Combine(dir, "atf"));
        string expected = Render(atf);
        StringAssert.Contains(expected, GoldenTraces.CulpritOf(golden));
        foreach (string file in new[] { "trace.json", "otlp.json", "otlp.jsonl" })
        {
            using var other = TraceFile.Open(Path.Combine(dir, file));
            Assert.AreEqual(atf.EventCount, other.EventCount, file);
            Assert.AreEqual(expected, Render(other), file);
        }
    }
}
