using System.Numerics;
using System.Runtime.CompilerServices;

namespace TraceQuery.Model.Internals;

/// <summary>
/// Open-addressing map from 64-bit function id to a dense ordinal in first-seen order. Used once per
/// event while building columns, so the hit path is one probe of one 16-byte entry, inlined, with no
/// data-dependent branch besides the key compare; misses and growth stay out of line.
/// </summary>
internal sealed class FunctionIdMap
{
    private struct Entry
    {
        public ulong Key;
        public int Value; // ordinal + 1; 0 = empty slot
    }

    private Entry[] _entries;
    private int _mask;
    private readonly List<ulong> _ids = [];

    public FunctionIdMap(int capacity = 1024)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2));
        _entries = new Entry[size];
        _mask = size - 1;
    }

    /// <summary>Ids in ordinal order.</summary>
    public List<ulong> Ids => _ids;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrAdd(ulong id)
    {
        ref Entry entry = ref _entries[Hash(id) & _mask];
        if (entry.Key == id && entry.Value != 0)
            return entry.Value - 1;
        return GetOrAddSlow(id);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int GetOrAddSlow(ulong id)
    {
        int slot = Hash(id) & _mask;
        while (true)
        {
            ref Entry entry = ref _entries[slot];
            if (entry.Value == 0)
                break;
            if (entry.Key == id)
                return entry.Value - 1;
            slot = (slot + 1) & _mask;
        }
        int ordinal = _ids.Count;
        _ids.Add(id);
        _entries[slot] = new Entry { Key = id, Value = ordinal + 1 };
        if (_ids.Count * 2 > _entries.Length)
            Grow();
        return ordinal;
    }

    private void Grow()
    {
        _entries = new Entry[_entries.Length * 2];
        _mask = _entries.Length - 1;
        for (int ordinal = 0; ordinal < _ids.Count; ordinal++)
        {
            ulong id = _ids[ordinal];
            int slot = Hash(id) & _mask;
            while (_entries[slot].Value != 0)
                slot = (slot + 1) & _mask;
            _entries[slot] = new Entry { Key = id, Value = ordinal + 1 };
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ulong id)
    {
        ulong h = id * 0x9E3779B97F4A7C15UL;
        return (int)(h >> 40);
    }
}
