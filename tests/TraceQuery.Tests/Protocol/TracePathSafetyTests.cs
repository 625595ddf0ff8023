using System.Security.Cryptography;
using System.Text.Json;
using TraceQuery.Formats.Atf;
using TraceQuery.Generation;
using TraceQuery.Protocol;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Protocol;

/// <summary>Traces resolve only inside the server's root, whatever the name or the links on disk; files are only read.</summary>
[TestClass]
public sealed class TracePathSafetyTests
{
    private static readonly Lazy<(string Parent, string Root)> Layout = new(() =>
    {
        // parent/root/ok (the only session the server may read), parent/root-evil/s and parent/secret.json outside it.
        string parent = TestPaths.NewTempDirectory("paths");
        string root = Path.Combine(parent, "root");
        using (var trace = TraceGenerator.Generate(200, new TraceGeneratorOptions { Threads = 1 }))
        {
            AtfWriter.Write(trace, Path.Combine(root, "ok"));
            AtfWriter.Write(trace, Path.Combine(parent, "root-evil", "s"));
        }
        File.WriteAllText(Path.Combine(parent, "secret.json"), """{"threads":"TOP-SECRET-VALUE"}""");
        return (parent, root);
    });

    private static async Task<JsonElement> InfoAsync(string root, string name)
    {
        await using var server = new TraceQueryServer(new QueryEngine(), new TraceQueryServerOptions { TraceRoot = root });
        await server.StartAsync();
        string request = JsonSerializer.Serialize(new { method = "trace.info", @params = new { trace = name, token_budget = 300 } });
        return JsonDocument.Parse(await server.HandleRequestAsync(request)).RootElement.Clone();
    }

    private static void AssertRefused(JsonElement response, string? message = null)
    {
        Assert.AreEqual("error", response.GetProperty("status").GetString(), response.ToString());
        var error = response.GetProperty("error");
        Assert.AreEqual(-32602, error.GetProperty("code").GetInt32(), response.ToString());
        Assert.AreEqual("trace", error.GetProperty("data").GetProperty("parameter").GetString());
        Assert.DoesNotContain("TOP-SECRET", error.GetProperty("message").GetString()!);
        if (message is not null)
            StringAssert.Contains(error.GetProperty("message").GetString(), message);
    }

    [TestMethod]
    [DataRow("..")]
    [DataRow("./..")]
    [DataRow("ok/..")]
    [DataRow("ok/../..")]
    [DataRow("ok/./../../root-evil/s")]
    [DataRow("..\\root-evil\\s")]
    [DataRow("../root-evil/s")]
    [DataRow("/etc")]
    [DataRow("//etc")]
    [DataRow("/")]
    [DataRow("~")]
    [DataRow("~root")]
    [DataRow("%2e%2e/root-evil/s")]
    [DataRow("\uFF0E\uFF0E/root-evil/s")] // fullwidth full stops
    [DataRow("\u2024\u2024/root-evil/s")] // one-dot leaders
    [DataRow("ok\u0000/../..")]
    [DataRow("ok\u200B")] // zero-width space
    [DataRow("C:\\Windows")]
    [DataRow("\\\\server\\share\\s")]
    [DataRow("file:///etc")]
    [DataRow(" ")]
    public async Task Trace_HostileName_ThenInvalidParamsAndNothingOutsideRead(string name)
    {
        AssertRefused(await InfoAsync(Layout.Value.Root, name));
    }

    [TestMethod]
    public async Task Trace_NameInsideRoot_ThenServed()
    {
        var response = await InfoAsync(Layout.Value.Root, "ok");
        Assert.AreEqual("success", response.GetProperty("status").GetString(), response.ToString());
        var viaDot = await InfoAsync(Layout.Value.Root, "./ok/");
        Assert.AreEqual("success", viaDot.GetProperty("status").GetString(), viaDot.ToString());
    }

    [TestMethod]
    public async Task Trace_LinkToSiblingSharingTheRootPrefix_ThenRefused()
    {
        // root-evil starts with "root": a prefix test without a separator would let it through.
        string root = TestPaths.NewTempDirectory("prefix-root");
        string link = Path.Combine(root, "look");
        Directory.CreateSymbolicLink(link, Path.Combine(Layout.Value.Parent, "root-evil"));
        AssertRefused(await InfoAsync(root, "look/s"), "through a link");
    }

    [TestMethod]
    public async Task Trace_RootItselfReachedThroughALink_ThenServed()
    {
        // A root that is itself a link is resolved once; sessions under it stay readable.
        string parent = TestPaths.NewTempDirectory("linked-root");
        string linkedRoot = Path.Combine(parent, "r");
        Directory.CreateSymbolicLink(linkedRoot, Layout.Value.Root);
        var response = await InfoAsync(linkedRoot, "ok");
        Assert.AreEqual("success", response.GetProperty("status").GetString(), response.ToString());
    }

    [TestMethod]
    [DataRow("manifest.json")]
    [DataRow("thread_0/index.atf")]
    [DataRow("thread_0/detail.atf")]
    [DataRow("thread_0")]
    public async Task Trace_SessionFileLinkingOutOfRoot_ThenRefused(string file)
    {
        // Found while auditing: only the session directory was resolved, so a manifest.json linked to a file
        // outside the root was read (and parts of it echoed in the parse error).
        string root = TestPaths.NewTempDirectory("file-link");
        using (var trace = TraceGenerator.Generate(100, new TraceGeneratorOptions { Threads = 1, WithDetail = true }))
            AtfWriter.Write(trace, Path.Combine(root, "s"));
        string path = Path.Combine(root, "s", file);
        string target = file switch
        {
            "manifest.json" => Path.Combine(Layout.Value.Parent, "secret.json"),
            "thread_0" => Path.Combine(Layout.Value.Parent, "root-evil", "s", "thread_0"),
            _ => Path.Combine(Layout.Value.Parent, "root-evil", "s", file),
        };
        if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
        else
            File.Delete(path);
        if (Directory.Exists(target))
            Directory.CreateSymbolicLink(path, target);
        else
            File.CreateSymbolicLink(path, target);

        AssertRefused(await InfoAsync(root, "s"), "a link that leads outside");
    }

    [TestMethod]
    public async Task Trace_SessionFileLinkingInsideRoot_ThenServed()
    {
        string root = TestPaths.NewTempDirectory("inner-link");
        using (var trace = TraceGenerator.Generate(100, new TraceGeneratorOptions { Threads = 1 }))
        {
            AtfWriter.Write(trace, Path.Combine(root, "a"));
            AtfWriter.Write(trace, Path.Combine(root, "b"));
        }
        File.Delete(Path.Combine(root, "b", "manifest.json"));
        File.CreateSymbolicLink(Path.Combine(root, "b", "manifest.json"), Path.Combine(root, "a", "manifest.json"));
        var response = await InfoAsync(root, "b");
        Assert.AreEqual("success", response.GetProperty("status").GetString(), response.ToString());
    }

    [TestMethod]
    public async Task Queries_WhileOtherReadersHoldTheFiles_ThenServedAndFilesUnchanged()
    {
        string root = TestPaths.NewTempDirectory("readonly");
        using (var trace = TraceGenerator.Generate(500, new TraceGeneratorOptions { Threads = 1, WithDetail = true }))
            AtfWriter.Write(trace, Path.Combine(root, "s"));
        var files = Directory.GetFiles(Path.Combine(root, "s"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var before = files.Select(f => (Hash: Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), Written: File.GetLastWriteTimeUtc(f))).ToList();

        // Another process reading with FileShare.Read (no writers allowed) must not stop the server from reading.
        var held = files.Select(f => new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.Read)).ToList();
        try
        {
            await using var server = new TraceQueryServer(new QueryEngine(), new TraceQueryServerOptions { TraceRoot = root });
            await server.StartAsync();
            foreach (string method in new[] { "trace.info", "narration.summary", "events.get" })
            {
                string request = JsonSerializer.Serialize(new { method, @params = new { trace = "s", token_budget = 400, refs = new[] { "event:0:1" } } });
                var response = JsonDocument.Parse(await server.HandleRequestAsync(request)).RootElement;
                Assert.AreEqual("success", response.GetProperty("status").GetString(), response.ToString());
            }
            // And while the server holds the trace (detail files stay mapped), others can still open them for reading.
            foreach (string file in files)
            {
                using var again = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
                Assert.IsGreaterThan(0L, again.Length);
            }
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
        var after = files.Select(f => (Hash: Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), Written: File.GetLastWriteTimeUtc(f))).ToList();
        CollectionAssert.AreEqual(before, after);
    }
}
