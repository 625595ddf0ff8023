using System.Reflection;

namespace TraceQuery.Tests.PublicApi;

/// <summary>
/// Hosts import <c>System</c>, <c>System.Diagnostics</c>, <c>System.IO</c>, <c>System.Linq</c>,
/// <c>System.Collections.Generic</c> and <c>System.Threading.Tasks</c> almost everywhere; a public type of ours
/// with the same simple name (generic arity ignored) would make them write an alias (CS0104). This test lists the
/// public types of those namespaces from every assembly of the shared framework and fails on any clash in a shipped
/// library package (TraceQuery, TraceQuery.Mcp, TraceQuery.AI).
/// </summary>
[TestClass]
public sealed class PublicNameCollisionTests
{
    private static readonly string[] HostNamespaces =
        ["System", "System.Diagnostics", "System.IO", "System.Linq", "System.Collections.Generic", "System.Threading.Tasks"];

    [TestMethod]
    public void PublicTypes_ThenShareNoSimpleNameWithCommonSystemNamespaces()
    {
        var systemNames = FrameworkPublicTypeNames();
        // The scan must have seen the names that motivated the rule, or it proves nothing.
        Assert.IsTrue(systemNames.ContainsKey("Trace"), "System.Diagnostics.Trace not found: the framework scan is broken");
        Assert.IsTrue(systemNames.ContainsKey("Comparison"), "System.Comparison<T> not found: the framework scan is broken");

        var clashes = new List<string>();
        foreach (var assembly in new[] { typeof(QueryEngine).Assembly, typeof(TraceQuery.Mcp.TraceQueryMcpOptions).Assembly, typeof(TraceQuery.AI.TraceQueryFunctions).Assembly, typeof(TraceQuery.NetTrace.NetTraceFile).Assembly })
        {
            foreach (var type in assembly.GetExportedTypes())
            {
                if (type.IsNested)
                    continue;
                string name = SimpleName(type);
                if (systemNames.TryGetValue(name, out string? systemType))
                    clashes.Add($"{type.FullName} clashes with {systemType}");
            }
        }

        clashes.Sort(StringComparer.Ordinal);
        Assert.AreEqual(0, clashes.Count, "Public types that need an alias in a host:\n" + string.Join("\n", clashes));
    }

    private static Dictionary<string, string> FrameworkPublicTypeNames()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        string frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        foreach (string path in Directory.GetFiles(frameworkDir, "System*.dll").Order(StringComparer.Ordinal))
        {
            Assembly assembly;
            try
            {
                assembly = Assembly.Load(AssemblyName.GetAssemblyName(path));
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileNotFoundException or FileLoadException)
            {
                continue; // native library beside the managed ones
            }

            Type[] types;
            try
            {
                types = assembly.GetExportedTypes();
            }
            catch (Exception ex) when (ex is FileNotFoundException or ReflectionTypeLoadException)
            {
                continue;
            }

            foreach (var type in types)
            {
                if (type.IsNested || type.Namespace is null || Array.IndexOf(HostNamespaces, type.Namespace) < 0)
                    continue;
                names.TryAdd(SimpleName(type), type.FullName ?? type.Name);
            }
        }

        return names;
    }

    private static string SimpleName(Type type)
    {
        int tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? type.Name : type.Name[..tick];
    }
}
