using System.Numerics;
using System.Runtime.CompilerServices;

namespace TraceQuery.Model.Internals;

/// <summary>
/// Open-addressing map from 64-bit function id to a dense ordinal in first-seen order. Used once per
/// event while building columns, so it favours the common case (a few thousand distinct ids, the same id
/// seen again soon) over generality.
/// </summary>
internal sealed class FunctionIdMap
{
    private ulong[] _keys;
    private int[] _values; // ordinal + 1; 0 = empty slot
    private int _mask;
    private readonly List<ulong> _ids = [];
    private ulong _lastId;
    private int _lastOrdinal = -1;

    public FunctionIdMap(int capacity = 1024)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacity * 2));
        _keys = new ulong[size];
        _values = new int[size];
        _mask = size - 1;
    }

    /// <summary>Ids in ordinal order.</summary>
    public List<ulong> Ids => _ids;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetOrAdd(ulong id)
    {
        if (id == _lastId && _lastOrdinal >= 0)
            return _lastOrdinal;
        int ordinal = GetOrAddSlow(id);
        _lastId = id;
        _lastOrdinal = ordinal;
        return ordinal;
    }

    private int GetOrAddSlow(ulong id)
    {
        int slot = Hash(id) & _mask;
        while (true)
        {
            int value = _values[slot];
            if (value == 0)
                break;
            if (_keys[slot] == id)
                return value - 1;
            slot = (slot + 1) & _mask;
        }
        int ordinal = _ids.Count;
        _ids.Add(id);
        _keys[slot] = id;
        _values[slot] = ordinal + 1;
        if (_ids.Count * 2 > _keys.Length)
            Grow();
        return ordinal;
    }

    private void Grow()
    {
        int size = _keys.Length * 2;
        _keys = new ulong[size];
        _values = new int[size];
        _mask = size - 1;
        for (int ordinal = 0; ordinal < _ids.Count; ordinal++)
        {
            ulong id = _ids[ordinal];
            int slot = Hash(id) & _mask;
            while (_values[slot] != 0)
                slot = (slot + 1) & _mask;
            _keys[slot] = id;
            _values[slot] = ordinal + 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ulong id)
    {
        ulong h = id * 0x9E3779B97F4A7C15UL;
        return (int)(h >> 40);
    }
}
