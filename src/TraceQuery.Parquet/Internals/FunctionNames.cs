using System.Globalization;
using TraceQuery.Model;

namespace TraceQuery.Parquet.Internals;

/// <summary>Names, modules and id texts per function ordinal, computed once per trace so rows share the strings.</summary>
internal sealed class FunctionNames
{
    public FunctionNames(ExecutionTrace trace)
    {
        var ids = trace.FunctionIds;
        Names = new string[ids.Length];
        Modules = new string[ids.Length];
        Ids = new string[ids.Length];
        for (int o = 0; o < ids.Length; o++)
        {
            Names[o] = trace.Symbols.GetName(ids[o]);
            Modules[o] = trace.Symbols.GetModuleName(ids[o]);
            Ids[o] = IdText(ids[o]);
        }
    }

    public string[] Names { get; }

    public string[] Modules { get; }

    public string[] Ids { get; }

    /// <summary><c>0x</c> and 16 hex digits: what answers print after <c>fn:</c>.</summary>
    public static string IdText(ulong functionId) => "0x" + functionId.ToString("x16", CultureInfo.InvariantCulture);
}
