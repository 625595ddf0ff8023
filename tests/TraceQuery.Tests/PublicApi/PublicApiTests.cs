using PublicApiGenerator;
using TraceQuery.Tests.Infrastructure;

namespace TraceQuery.Tests.PublicApi;

/// <summary>
/// The library's public surface as an approved snapshot: any change to a public type or member shows up
/// as a diff of <c>PublicApiTests.Library_PublicSurface_ThenMatchesApprovedSnapshot.verified.txt</c> in review.
/// </summary>
[TestClass]
public sealed class PublicApiTests
{
    [TestMethod]
    public void Library_PublicSurface_ThenMatchesApprovedSnapshot()
    {
        string api = typeof(QueryEngine).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            // Assembly-level attributes (InternalsVisibleTo, target framework, version) are build details, not API.
            IncludeAssemblyAttributes = false,
            // PublicApiGenerator skips System.* and Microsoft.* namespaces unless allowed; AddTraceQuery lives in the DI one by convention.
            AllowNamespacePrefixes = ["Microsoft.Extensions.DependencyInjection"],
        });

        Snapshot.Verify(api);
    }
}
