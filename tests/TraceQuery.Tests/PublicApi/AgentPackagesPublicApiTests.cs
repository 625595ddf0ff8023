using PublicApiGenerator;
using TraceQuery.AI;
using TraceQuery.Mcp;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.PublicApi;

/// <summary>The public surfaces of the agent packages (TraceQuery.Mcp, TraceQuery.AI) as approved snapshots, as the library's is.</summary>
[TestClass]
public sealed class AgentPackagesPublicApiTests
{
    [TestMethod]
    [DataRow("TraceQuery.Mcp")]
    [DataRow("TraceQuery.AI")]
    public void Package_PublicSurface_ThenMatchesApprovedSnapshot(string package)
    {
        var assembly = package == "TraceQuery.Mcp" ? typeof(TraceQueryMcpOptions).Assembly : typeof(TraceQueryFunctions).Assembly;
        string api = assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            IncludeAssemblyAttributes = false,
            // WithTraceQueryTools lives beside the SDK's AddMcpServer() in the DI namespace.
            AllowNamespacePrefixes = ["Microsoft.Extensions.DependencyInjection"],
        });
        Snapshot.Verify(api, name: package);
    }
}
