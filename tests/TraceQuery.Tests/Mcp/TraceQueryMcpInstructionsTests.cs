using TraceQuery.Mcp;
using TraceQuery.Protocol;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.Mcp;

[TestClass]
public sealed class TraceQueryMcpInstructionsTests
{
    [TestMethod]
    public void Instructions_RootIsASession_ThenSayOmitTrace()
    {
        string text = TraceQueryMcpInstructions.Create(new TraceQueryServerOptions { TraceRoot = Path.Combine(TestPaths.RepositoryRoot, "samples", "indexer") });
        StringAssert.EndsWith(text, "The root is itself a session: omit the trace argument.");
    }

    [TestMethod]
    public void Instructions_NestedSessions_ThenListedRelativeAndSorted()
    {
        string root = TestPaths.NewTempDirectory("mcp-instructions");
        foreach (string session in new[] { "b", "a/run2", "a/run1" })
        {
            Directory.CreateDirectory(Path.Combine(root, session));
            File.Copy(Path.Combine(TestPaths.RepositoryRoot, "samples", "indexer", "manifest.json"), Path.Combine(root, session, "manifest.json"));
        }
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        string text = TraceQueryMcpInstructions.Create(new TraceQueryServerOptions { TraceRoot = root });
        StringAssert.EndsWith(text, "Sessions under the root at startup (pass one as trace): a/run1, a/run2, b.");
    }

    [TestMethod]
    public void Instructions_NoSession_ThenSaySo()
    {
        string text = TraceQueryMcpInstructions.Create(new TraceQueryServerOptions { TraceRoot = TestPaths.NewTempDirectory("mcp-instructions") });
        StringAssert.EndsWith(text, "No trace session was found under the root at startup.");
    }
}
