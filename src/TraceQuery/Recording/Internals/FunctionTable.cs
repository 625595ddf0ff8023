using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using TraceQuery.Model;

namespace TraceQuery.Recording.Internals;

/// <summary>
/// The recorder's bounded side table of function names: (activity source, name) → a small index stored in
/// ring entries. A lookup of a known pair is a lock-free dictionary read with no allocation; the first
/// sight of a pair takes a lock and registers it. Past <c>maxFunctions</c> pairs, new names share their
/// source's <see cref="OtherName"/> function and are counted. In front of the dictionary, each thread keeps a
/// 16-entry cache keyed by the name string's identity (activity names are mostly literals), so a repeated
/// name costs a few reference compares instead of hashing the string.
/// </summary>
/// <remarks>
/// Function ids are stable for a (source, name) pair: the module id is <see cref="SymbolTable.ModuleIdFromPath"/>
/// of the source name (as ATF derives it from a path), the symbol index the 32-bit FNV-1a of the name's
/// UTF-16 code units, moved to the next free index on a collision within the module.
/// </remarks>
internal sealed class FunctionTable(int maxFunctions)
{
    /// <summary>The name under which activities past the limit are recorded.</summary>
    public const string OtherName = "(other)";

    private const int CacheSize = 16;

    private static int _lastTableId;

    [ThreadStatic]
    private static CacheEntry[]? _cache;

    private readonly record struct Key(ActivitySource Source, string Name);

    private struct CacheEntry
    {
        public int TableId; // an id, not a reference: a thread must not keep a stopped recorder's table alive
        public ActivitySource? Source;
        public string? Name;
        public int Index;
    }

    private readonly int _tableId = Interlocked.Increment(ref _lastTableId);

    private readonly ConcurrentDictionary<Key, int> _indexByKey = new();
    private readonly Lock _gate = new();
    private readonly List<RecordedFunction> _functions = [];
    private readonly HashSet<ulong> _ids = [];
    private int _named;
    private long _folded;

    /// <summary>How many activities were recorded under an <see cref="OtherName"/> function because the table was full.</summary>
    public long Folded => Interlocked.Read(ref _folded);

    /// <summary>The index of the (source, name) function, registering it on first sight. No allocation once known (a thread's first call allocates its cache).</summary>
    public int IndexOf(ActivitySource source, string name)
    {
        var cache = _cache ??= new CacheEntry[CacheSize];
        ref var entry = ref cache[RuntimeHelpers.GetHashCode(name) & (CacheSize - 1)];
        if (entry.TableId == _tableId && ReferenceEquals(entry.Name, name) && ReferenceEquals(entry.Source, source))
            return entry.Index;
        if (_indexByKey.TryGetValue(new Key(source, name), out int index))
        {
            // Only names that have their own function are cached: a folded one must be counted each time.
            entry = new CacheEntry { TableId = _tableId, Source = source, Name = name, Index = index };
            return index;
        }
        if (Volatile.Read(ref _named) >= maxFunctions)
        {
            Interlocked.Increment(ref _folded);
            return _indexByKey.TryGetValue(new Key(source, OtherName), out index) ? index : Register(source, OtherName, counted: false);
        }
        return Register(source, name, counted: true);
    }

    /// <summary>A copy of the registered functions, indexed like the ring entries.</summary>
    public RecordedFunction[] ToArray()
    {
        lock (_gate)
            return [.. _functions];
    }

    private int Register(ActivitySource source, string name, bool counted)
    {
        lock (_gate)
        {
            if (_indexByKey.TryGetValue(new Key(source, name), out int index))
                return index;
            if (counted && _named >= maxFunctions)
            {
                Interlocked.Increment(ref _folded);
                name = OtherName;
                if (_indexByKey.TryGetValue(new Key(source, name), out index))
                    return index;
                counted = false;
            }
            uint module = SymbolTable.ModuleIdFromPath(source.Name);
            uint symbol = Fnv1a(name);
            while (!_ids.Add(SymbolTable.MakeFunctionId(module, symbol)))
                symbol++;
            index = _functions.Count;
            _functions.Add(new RecordedFunction(source.Name, name, SymbolTable.MakeFunctionId(module, symbol)));
            _indexByKey[new Key(source, name)] = index;
            if (counted)
                Volatile.Write(ref _named, _named + 1);
            return index;
        }
    }

    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ (byte)c) * 16777619;
            hash = (hash ^ (byte)(c >> 8)) * 16777619;
        }
        return hash;
    }
}
