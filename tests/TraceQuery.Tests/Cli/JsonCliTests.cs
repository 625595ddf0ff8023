using TraceQuery.Cli;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Cli;

[TestClass]
public sealed class JsonCliTests
{
    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [TestMethod]
    public void InfoAndQuery_OtlpJsonLinesFile_ThenOpenedByContent()
    {
        string path = Path.Combine(TestPaths.Fixtures, "otlp", "lines.jsonl");
        var (exit, output, error) = Run("info", path);
        Assert.AreEqual(0, exit, error);
        StringAssert.Contains(output, "otlp-json");

        (exit, output, error) = Run("query", path, "--filter", "error", "--full", "--budget", "400");
        Assert.AreEqual(0, exit, error);
        StringAssert.Contains(output, "call log.ERROR depth 2 \"db timeout after 5s\"");
    }

    [TestMethod]
    public void TopAndSummary_NetTraceRecording_ThenSampledHotFunctionsAndTheExceptionMessage()
    {
        string path = Path.Combine(TestPaths.Fixtures, "nettrace", "hotloop.nettrace");
        var (exit, output, error) = Run("top", path, "--by", "self", "--n", "2");
        Assert.AreEqual(0, exit, error);
        StringAssert.Contains(output, "1. HotLoop.SumOfSquareRoots(int32) (hotloop)");
        StringAssert.Contains(output, "2. HashWorker.MixHash(int32) (hotloop)");

        (exit, output, error) = Run("summary", path, "--budget", "600");
        Assert.AreEqual(0, exit, error);
        StringAssert.Contains(output, "ConfigParser.ParseTimeout(class System.String) raised 6 exceptions");
        StringAssert.Contains(output, "timeout must be a number of seconds");
    }

    [TestMethod]
    public void Info_JsonThatIsNoTrace_ThenBadInputNamingTheFormats()
    {
        string path = Path.Combine(TestPaths.NewTempDirectory("cli-json"), "notes.json");
        File.WriteAllText(path, """{"hello":"world"}""");
        var (exit, _, error) = Run("info", path);
        Assert.AreEqual(1, exit);
        StringAssert.Contains(error, "not a trace this library reads");
    }
}
