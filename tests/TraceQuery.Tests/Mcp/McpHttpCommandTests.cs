using System.Diagnostics;
using System.Text.RegularExpressions;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Mcp;

/// <summary>
/// The built <c>tracequery mcp --http 127.0.0.1:0</c> as its own process (as a user starts it), answered over HTTP by the
/// SDK's client; the address comes from its stderr line. The test stops the process it started, within a bounded time.
/// </summary>
[TestClass]
public sealed partial class McpHttpCommandTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [TestMethod]
    public async Task McpCommand_HttpOnLoopback_ThenAnswersTheSdkClientAndStdoutStaysEmpty()
    {
        string root = TestPaths.NewTempDirectory("mcp-http-command");
        McpServerEndToEndTests.CopyDirectory(Path.Combine(TestPaths.RepositoryRoot, "samples", "indexer"), Path.Combine(root, "indexer"));
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "TraceQuery.Cli.dll"), "mcp", "--root", root, "--http", "127.0.0.1:0" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(Bound);
            Uri? endpoint = null;
            while (endpoint is null && await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
            {
                if (Url().Match(line) is { Success: true } match)
                    endpoint = new Uri(match.Value);
            }
            Assert.IsNotNull(endpoint, "the server logged no address");
            Assert.AreEqual("127.0.0.1", endpoint.Host);

            await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint }), cancellationToken: timeout.Token);
            Assert.AreEqual(11, (await client.ListToolsAsync(cancellationToken: timeout.Token)).Count);
            var info = await client.CallToolAsync("trace_info", new Dictionary<string, object?> { ["trace"] = "indexer" }, cancellationToken: timeout.Token);
            StringAssert.StartsWith(((TextContentBlock)info.Content[0]).Text, "# Trace indexer: 4,000 events");
            Assert.IsTrue(info.StructuredContent!.Value.GetProperty("tokens_used").GetInt32() <= 4096);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            using var exit = new CancellationTokenSource(Bound);
            await process.WaitForExitAsync(exit.Token);
        }
        Assert.AreEqual("", await stdout, "stdout carries nothing in HTTP mode");
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/mcp")]
    private static partial Regex Url();
}
