using TraceQuery.Analysis;
using TraceQuery.Formats.Atf;
using TraceQuery.Summaries;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Documentation;

/// <summary>The README's quick start is this file's code: compiled and run here, and the README must show it verbatim.</summary>
[TestClass]
public sealed class ReadmeTests
{
    private const string Begin = "// README quick start: begin";
    private const string End = "// README quick start: end";

    [TestMethod]
    public void QuickStart_RunFromTheRepositoryRoot_ThenBudgetedSummaryOfTheSample()
    {
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = TestPaths.RepositoryRoot;
        try
        {
            // README quick start: begin
            var counter = new TokenCounter(model: "gpt-4o");               // gpt-4, gpt-4.1, o3, cl100k_base, …
            var engine = new QueryEngine(tokenCounter: counter);
            using var trace = AtfReader.Open("samples/indexer");          // or TraceGenerator.Generate(10_000)
            var result = engine.Process(trace, tokenBudget: 1024, filter: "error or duration>1ms");
            Console.WriteLine(result.Summary);                            // result.TokenCount <= 1024, always
            // result.Findings, result.DidTruncate, result.NextCursor (pass it back as cursor: to continue)
            // README quick start: end

            Assert.IsTrue(result.TokenCount is > 0 and <= 1024);
            Assert.AreEqual(counter.CountTokens(result.Summary), result.TokenCount);
            StringAssert.Contains(result.Summary, "Crash in parse_header");
            Assert.AreEqual(4_000, result.EventsProcessed);
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    [TestMethod]
    public void Readme_QuickStartBlock_ThenIsTheCodeThisTestRuns()
    {
        string source = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "tests", "TraceQuery.Tests", "Documentation", "ReadmeTests.cs"))
            .Replace("\r\n", "\n", StringComparison.Ordinal);
        // The markers as comment lines (the constants above hold them too, followed by a quote).
        int begin = source.IndexOf(Begin + "\n", StringComparison.Ordinal) + Begin.Length;
        int end = source.IndexOf(End + "\n", begin, StringComparison.Ordinal);
        string[] tested = Lines(source[begin..end]);

        string readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        int block = readme.IndexOf("```csharp\nusing TraceQuery;", StringComparison.Ordinal);
        Assert.IsGreaterThanOrEqualTo(0, block, "README.md has no quick start block starting with using TraceQuery;");
        int blockEnd = readme.IndexOf("```", block + 3, StringComparison.Ordinal);
        string[] shown = [.. Lines(readme[(block + "```csharp".Length)..blockEnd]).Where(line => !(line.StartsWith("using ", StringComparison.Ordinal) && !line.Contains('=', StringComparison.Ordinal)))];

        CollectionAssert.AreEqual(tested, shown, "README.md's quick start must match ReadmeTests.QuickStart_… line for line:\n" + string.Join('\n', tested));
    }

    private static string[] Lines(string text) =>
        [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0)];
}
