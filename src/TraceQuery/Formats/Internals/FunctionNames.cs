using System.Runtime.InteropServices;
using TraceQuery.Model;

namespace TraceQuery.Formats.Internals;

/// <summary>
/// Function ids for formats that name functions by text: the module id is <see cref="SymbolTable.ModuleIdFromPath"/>
/// of the module name, the symbol index a 32-bit FNV-1a hash of the function name, moved to the next free
/// index on a collision (in order of first appearance), so ids are stable for a given file. Registers the
/// modules and symbols with a <see cref="TraceBuilder"/> at the end.
/// </summary>
internal sealed class FunctionNames
{
    private readonly Dictionary<(string Module, string Name), ulong> _ids = [];
    private readonly Dictionary<ulong, string> _names = [];
    private readonly Dictionary<uint, string> _modules = [];
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _internLookup;
    private readonly Dictionary<string, string> _intern = [];

    public FunctionNames() => _internLookup = _intern.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>One string instance per distinct text, so repeated names cost no allocation.</summary>
    public string Intern(ReadOnlySpan<char> text)
    {
        if (_internLookup.TryGetValue(text, out var found))
            return found;
        string s = text.ToString();
        _intern[s] = s;
        return s;
    }

    /// <summary>The id of <paramref name="name"/> in <paramref name="module"/>, allocated on first use.</summary>
    public ulong GetId(string module, string name)
    {
        ref ulong id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, (module, name), out bool exists);
        if (exists)
            return id;
        uint moduleId = SymbolTable.ModuleIdFromPath(module);
        _modules.TryAdd(moduleId, module);
        uint symbol = Fnv1a(name);
        ulong candidate = SymbolTable.MakeFunctionId(moduleId, symbol);
        while (!_names.TryAdd(candidate, name))
            candidate = SymbolTable.MakeFunctionId(moduleId, ++symbol);
        id = candidate;
        return id;
    }

    /// <summary>Adds every module and symbol seen to <paramref name="builder"/>, in id order.</summary>
    public void Register(TraceBuilder builder)
    {
        foreach (var (id, path) in _modules.OrderBy(m => m.Key))
            builder.AddModule(new ModuleInfo(id, path));
        foreach (var (id, name) in _names.OrderBy(n => n.Key))
            builder.AddSymbol(new SymbolInfo(id, name));
    }

    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ (byte)c) * 16777619;
            if (c > 0xff)
                hash = (hash ^ (byte)(c >> 8)) * 16777619;
        }
        return hash;
    }
}
