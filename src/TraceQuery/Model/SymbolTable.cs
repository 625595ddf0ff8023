using System.Globalization;

namespace TraceQuery.Model;

/// <summary>
/// Maps function ids to names and modules. Ids without a symbol render as <c>fn_0x…</c> (16 hex digits),
/// modules without an entry as <c>mod_0x…</c> (8 hex digits). Immutable and safe to share.
/// </summary>
public sealed class SymbolTable
{
    private readonly Dictionary<ulong, SymbolInfo> _byFunction;
    private readonly Dictionary<uint, ModuleInfo> _byModule;

    /// <summary>A table with no modules and no symbols: every id renders as <c>fn_0x…</c>.</summary>
    public static SymbolTable Empty { get; } = new([], []);

    /// <summary>Creates a table. When an id appears twice, the first entry wins.</summary>
    public SymbolTable(IEnumerable<ModuleInfo> modules, IEnumerable<SymbolInfo> symbols)
    {
        ArgumentNullException.ThrowIfNull(modules);
        ArgumentNullException.ThrowIfNull(symbols);
        Modules = [.. modules];
        Symbols = [.. symbols];
        _byModule = new Dictionary<uint, ModuleInfo>(Modules.Count);
        foreach (var module in Modules)
            _byModule.TryAdd(module.ModuleId, module);
        _byFunction = new Dictionary<ulong, SymbolInfo>(Symbols.Count);
        foreach (var symbol in Symbols)
            _byFunction.TryAdd(symbol.FunctionId, symbol);
    }

    /// <summary>Modules in the order the source listed them.</summary>
    public IReadOnlyList<ModuleInfo> Modules { get; }

    /// <summary>Symbols in the order the source listed them (ATF writes them in hash order, not sorted).</summary>
    public IReadOnlyList<SymbolInfo> Symbols { get; }

    /// <summary>True when the table resolves at least one name.</summary>
    public bool HasSymbols => Symbols.Count > 0;

    /// <summary>Looks up a function's resolved name.</summary>
    public bool TryGetName(ulong functionId, out string name)
    {
        if (_byFunction.TryGetValue(functionId, out var symbol))
        {
            name = symbol.Name;
            return true;
        }
        name = "";
        return false;
    }

    /// <summary>The function's name, or <c>fn_0x{id:x16}</c> when the table does not know it.</summary>
    public string GetName(ulong functionId) =>
        _byFunction.TryGetValue(functionId, out var symbol) ? symbol.Name : UnknownFunctionName(functionId);

    /// <summary>The module that holds the function, or null when the table does not list it.</summary>
    public ModuleInfo? GetModule(ulong functionId) =>
        _byModule.TryGetValue((uint)(functionId >> 32), out var module) ? module : null;

    /// <summary>The module's file name, or <c>mod_0x{id:x8}</c> when the table does not list it.</summary>
    public string GetModuleName(ulong functionId)
    {
        var module = GetModule(functionId);
        return module is null ? UnknownModuleName((uint)(functionId >> 32)) : module.FileName;
    }

    /// <summary>The display name used for a function id that has no symbol.</summary>
    public static string UnknownFunctionName(ulong functionId) =>
        "fn_0x" + functionId.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>The display name used for a module id that has no entry.</summary>
    public static string UnknownModuleName(uint moduleId) =>
        "mod_0x" + moduleId.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>
    /// The module id the ATF tracer derives from a path: 32-bit FNV-1a over the path with ASCII letters
    /// folded to lower case.
    /// </summary>
    public static uint ModuleIdFromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        uint hash = 2166136261;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(path))
        {
            byte folded = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
            hash = (hash ^ folded) * 16777619;
        }
        return hash;
    }

    /// <summary>Composes a function id from its module id and symbol index.</summary>
    public static ulong MakeFunctionId(uint moduleId, uint symbolIndex) => ((ulong)moduleId << 32) | symbolIndex;
}
