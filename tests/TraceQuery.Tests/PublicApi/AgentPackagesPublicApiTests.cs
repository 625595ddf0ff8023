using PublicApiGenerator;
using TraceQuery.AI;
using TraceQuery.Mcp;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.PublicApi;

/// <summary>The public surfaces of the agent packages (TraceQuery.Mcp, TraceQuery.AI) and of TraceQuery.NetTrace as approved snapshots, as the library's is.</summary>
[TestClass]
public sealed class AgentPackagesPublicApiTests
{
    [TestMethod]
    [DataRow("TraceQuery.Mcp")]
    [DataRow("TraceQuery.AI")]
    [DataRow("TraceQuery.NetTrace")]
    public void Package_PublicSurface_ThenMatchesApprovedSnapshot(string package)
    {
        var assembly = package switch
        {
            "TraceQuery.Mcp" => typeof(TraceQueryMcpOptions).Assembly,
            "TraceQuery.NetTrace" => typeof(TraceQuery.NetTrace.NetTraceFile).Assembly,
            _ => typeof(TraceQueryFunctions).Assembly,
        };
        string api = assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            IncludeAssemblyAttributes = false,
            // WithTraceQueryTools lives beside the SDK's AddMcpServer() in the DI namespace.
            AllowNamespacePrefixes = ["Microsoft.Extensions.DependencyInjection"],
        });
        Snapshot.Verify(api, name: package);
    }
}
