namespace TraceQuery.Model;

/// <summary>A resolved function name.</summary>
/// <param name="FunctionId"><c>(module_id &lt;&lt; 32) | symbol_index</c>.</param>
/// <param name="Name">The function's name as the tracer resolved it.</param>
public sealed record SymbolInfo(ulong FunctionId, string Name)
{
    /// <summary>The module half of <see cref="FunctionId"/>.</summary>
    public uint ModuleId => (uint)(FunctionId >> 32);

    /// <summary>The symbol half of <see cref="FunctionId"/>.</summary>
    public uint SymbolIndex => (uint)FunctionId;
}
