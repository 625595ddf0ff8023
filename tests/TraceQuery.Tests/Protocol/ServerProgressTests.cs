using TraceQuery.Generation;
using TraceQuery.Protocol;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Protocol;

[TestClass]
public sealed class ServerProgressTests
{
    /// <summary>Keeps reports in the order they were made (synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class Recorder : IProgress<TraceQueryProgress>
    {
        public List<TraceQueryProgress> Reports { get; } = [];

        public void Report(TraceQueryProgress value) => Reports.Add(value);
    }

    [TestMethod]
    public async Task HandleRequest_WithProgress_ThenReadSpansAnswerInOrderAndCachedTraceSaysSo()
    {
        string root = Path.Combine(TestPaths.RepositoryRoot, "samples");
        long bytes = Directory.EnumerateFiles(Path.Combine(root, "indexer"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        await using var server = new TraceQueryServer(new QueryEngine(), new TraceQueryServerOptions { TraceRoot = root });
        await server.StartAsync();
        const string Request = """{"jsonrpc":"2.0","id":1,"method":"trace.info","params":{"trace":"indexer","token_budget":500}}""";

        var first = new Recorder();
        StringAssert.Contains(await server.HandleRequestAsync(Request, first), "\"status\":\"success\"");
        CollectionAssert.AreEqual(new[]
        {
            $"read|reading indexer: 0 of {bytes:N0} bytes|0|{bytes}",
            $"read|read {bytes:N0} bytes: 4,000 events|{bytes}|{bytes}",
            "spans|pairing calls into spans over 4,000 events|0|0",
        }, first.Reports.Take(3).Select(r => $"{r.Stage}|{r.Message}|{r.BytesRead}|{r.BytesTotal}").ToArray());
        Assert.IsTrue(System.Text.RegularExpressions.Regex.IsMatch(first.Reports[3].Message, @"^\d{1,3}(,\d{3})* spans$"), first.Reports[3].Message);
        Assert.AreEqual("answering trace.info within 500 tokens", first.Reports[4].Message);
        StringAssert.StartsWith(first.Reports[5].Message, "answered in ");
        Assert.AreEqual(6, first.Reports.Count);

        // Loaded once: the next request reports the read stage once, as done.
        var second = new Recorder();
        await server.HandleRequestAsync(Request, second);
        Assert.AreEqual($"indexer is already loaded ({bytes:N0} bytes)", second.Reports[0].Message);
        Assert.AreEqual("read spans spans answer answer", string.Join(" ", second.Reports.Select(r => r.Stage)));
        Assert.AreEqual(0, server.RequestsInFlight);
    }

    [TestMethod]
    public async Task HandleRequest_CancelledWhileReading_ThenCancelledErrorAndNoRequestLeft()
    {
        await using var server = new TraceQueryServer(new QueryEngine());
        server.RegisterTrace("generated", TraceGenerator.Generate(20_000));
        await server.StartAsync();
        using var cancel = new CancellationTokenSource();
        // The client gives up as soon as the trace is found: the server stops before pairing spans.
        var progress = new Recorder();
        var cancelling = new CancellingProgress(progress, cancel);
        string response = await server.HandleRequestAsync("""{"jsonrpc":"2.0","id":1,"method":"narration.summary","params":{"trace":"generated"}}""", cancelling, cancel.Token);
        StringAssert.Contains(response, "Request cancelled by the client.");
        CollectionAssert.AreEqual(new[] { "read" }, progress.Reports.Select(r => r.Stage).ToArray());
        Assert.AreEqual(0, server.RequestsInFlight);
    }

    /// <summary>Records, then cancels on the first report.</summary>
    private sealed class CancellingProgress(Recorder inner, CancellationTokenSource cancel) : IProgress<TraceQueryProgress>
    {
        public void Report(TraceQueryProgress value)
        {
            inner.Report(value);
            cancel.Cancel();
        }
    }
}
