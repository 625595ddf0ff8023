using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using TraceQuery.Formats.Internals;

namespace TraceQuery.Formats.Otlp;

/// <summary>
/// The lean per-span storage (issue 17's read speed): spans kept column-wise in arrays of plain numbers (no per-span
/// object or reference for the garbage collector to trace or for a list's growth to copy through write barriers),
/// trace ids and names as small indexes, names interned by their UTF-8 bytes without making a string, and an
/// open-addressing index of (trace, span id) over the columns.
/// </summary>
internal sealed partial class OtlpSpanCollector
{
    /// <summary>A growable array of plain values.</summary>
    private struct Column<T>
        where T : unmanaged
    {
        private T[] _items;

        public int Count { get; private set; }

        public Column() => _items = [];

        public readonly ref T this[int index] => ref _items[index];

        public void Add(T value)
        {
            if (Count == _items.Length)
                Array.Resize(ref _items, Math.Max(1024, _items.Length * 2));
            _items[Count++] = value;
        }
    }

    /// <summary>The spans read so far, one entry per column each.</summary>
    private sealed class SpanColumns
    {
        public Column<int> Trace = new();
        public Column<ulong> SpanId = new(), ParentId = new(), Start = new(), End = new();
        public Column<long> Thread = new();
        public Column<int> Resource = new(), Name = new(), Attributes = new(), Extra = new();

        public int Count => SpanId.Count;

        public void Add(int trace, ulong spanId, ulong parentId, ulong start, ulong end, long thread, int resource, int name, int attributes, int extra)
        {
            Trace.Add(trace);
            SpanId.Add(spanId);
            ParentId.Add(parentId);
            Start.Add(start);
            End.Add(end);
            Thread.Add(thread);
            Resource.Add(resource);
            Name.Add(name);
            Attributes.Add(attributes);
            Extra.Add(extra);
        }
    }

    /// <summary>What few spans carry (a thread name, an error status, exceptions, events, links), kept beside the columns.</summary>
    private record struct SpanExtra(string? ThreadName, string? Error, int FirstException, int FirstEvent, int FirstLink);

    /// <summary>
    /// Distinct texts (span names, attribute keys and short values) looked up by the UTF-8 bytes of an unescaped JSON
    /// string: one string per distinct text, made once; a known text costs a hash of its bytes and one comparison.
    /// </summary>
    private sealed class Utf8Texts
    {
        private readonly List<string> _texts = [];
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private byte[] _bytes = new byte[4096];
        private int _used;
        private int[] _slots = new int[256];
        private int[] _start = new int[64], _length = new int[64], _hash = new int[64], _text = new int[64];
        private int _entries;

        public string this[int id] => _texts[id];

        public int Count => _texts.Count;

        /// <summary>The id of a text, added on first use.</summary>
        public int Id(string text)
        {
            ref int id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, text, out bool exists);
            if (!exists)
            {
                id = _texts.Count;
                _texts.Add(text);
            }
            return id;
        }

        /// <summary>The id of the text whose UTF-8 bytes are <paramref name="utf8"/>, or -1 when these bytes were never added.</summary>
        public int Find(ReadOnlySpan<byte> utf8)
        {
            int hash = Hash(utf8), mask = _slots.Length - 1;
            for (int slot = hash & mask; ; slot = (slot + 1) & mask)
            {
                int entry = _slots[slot] - 1;
                if (entry < 0)
                    return -1;
                if (_hash[entry] == hash && _bytes.AsSpan(_start[entry], _length[entry]).SequenceEqual(utf8))
                    return _text[entry];
            }
        }

        /// <summary>Remembers that <paramref name="utf8"/> (valid UTF-8, unescaped) is the text of <paramref name="id"/>.</summary>
        public void Remember(ReadOnlySpan<byte> utf8, int id)
        {
            if (utf8.Length > 256)
                return;
            if ((_entries + 1) * 2 > _slots.Length)
                Rehash();
            if (_entries == _start.Length)
            {
                Array.Resize(ref _start, _entries * 2);
                Array.Resize(ref _length, _entries * 2);
                Array.Resize(ref _hash, _entries * 2);
                Array.Resize(ref _text, _entries * 2);
            }
            if (_used + utf8.Length > _bytes.Length)
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + utf8.Length));
            utf8.CopyTo(_bytes.AsSpan(_used));
            int hash = Hash(utf8);
            (_start[_entries], _length[_entries], _hash[_entries], _text[_entries]) = (_used, utf8.Length, hash, id);
            _used += utf8.Length;
            Place(_entries, hash);
            _entries++;
        }

        private void Place(int entry, int hash)
        {
            int mask = _slots.Length - 1;
            int slot = hash & mask;
            while (_slots[slot] != 0)
                slot = (slot + 1) & mask;
            _slots[slot] = entry + 1;
        }

        private void Rehash()
        {
            _slots = new int[_slots.Length * 2];
            for (int e = 0; e < _entries; e++)
                Place(e, _hash[e]);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Hash(ReadOnlySpan<byte> utf8)
        {
            uint hash = 2166136261;
            foreach (byte b in utf8)
                hash = (hash ^ b) * 16777619;
            return (int)(hash ^ (hash >> 15));
        }
    }

    /// <summary>Trace ids as small indexes, in order of first appearance (consecutive spans mostly share one).</summary>
    private sealed class TraceIds
    {
        private readonly Dictionary<(ulong, ulong), int> _ids = [];
        private readonly List<(ulong Hi, ulong Lo)> _traces = [];
        private ulong _lastHi, _lastLo;
        private int _last = -1;

        public (ulong Hi, ulong Lo) this[int index] => _traces[index];

        public int Id(ulong hi, ulong lo)
        {
            if (_last >= 0 && hi == _lastHi && lo == _lastLo)
                return _last;
            ref int id = ref CollectionsMarshal.GetValueRefOrAddDefault(_ids, (hi, lo), out bool exists);
            if (!exists)
            {
                id = _traces.Count;
                _traces.Add((hi, lo));
            }
            (_lastHi, _lastLo, _last) = (hi, lo, id);
            return id;
        }

        /// <summary>The index of a trace id seen in a span, or -1.</summary>
        public int Find(ulong hi, ulong lo) => _ids.TryGetValue((hi, lo), out int id) ? id : -1;
    }

    /// <summary>
    /// The first span of each (trace, span id), by open addressing over the columns: no per-span entry object, no
    /// tuple hashing. Spans later found not kept stay in the table and are filtered by the caller.
    /// </summary>
    private sealed class SpanIndex
    {
        private readonly int[] _slots;
        private readonly int _mask;
        private readonly SpanColumns _spans;

        public SpanIndex(SpanColumns spans)
        {
            _spans = spans;
            int size = 16;
            while (size < spans.Count * 2)
                size *= 2;
            _slots = new int[size];
            _mask = size - 1;
        }

        /// <summary>Adds span <paramref name="index"/>; false when an earlier span has the same trace and span id.</summary>
        public bool TryAdd(int index)
        {
            int trace = _spans.Trace[index];
            ulong id = _spans.SpanId[index];
            for (int slot = Slot(trace, id); ; slot = (slot + 1) & _mask)
            {
                int entry = _slots[slot] - 1;
                if (entry < 0)
                {
                    _slots[slot] = index + 1;
                    return true;
                }
                if (_spans.SpanId[entry] == id && _spans.Trace[entry] == trace)
                    return false;
            }
        }

        /// <summary>The first span with this trace index and span id, or -1.</summary>
        public int Find(int trace, ulong id)
        {
            if (trace < 0)
                return -1;
            for (int slot = Slot(trace, id); ; slot = (slot + 1) & _mask)
            {
                int entry = _slots[slot] - 1;
                if (entry < 0 || (_spans.SpanId[entry] == id && _spans.Trace[entry] == trace))
                    return entry;
            }
        }

        private int Slot(int trace, ulong id) => (int)(((id ^ ((ulong)trace * 0xC2B2AE3D27D4EB4FUL)) * 0x9E3779B97F4A7C15UL) >> 40) & _mask;
    }

    /// <summary>
    /// The id of the string value the reader is on (a span name, an attribute key; null is ""): by its bytes when it has
    /// no escapes, else by its text. Anything else is the format error "<paramref name="what"/> field '<paramref name="field"/>' must be a string".
    /// </summary>
    private int TextId(ref JsonValues v, string what, string field)
    {
        ref var r = ref v.Reader;
        if (r.TokenType == JsonTokenType.String)
        {
            bool plain = !r.ValueIsEscaped && !r.HasValueSequence;
            if (plain && _texts.Find(r.ValueSpan) is var known && known >= 0)
                return known;
            int id = _texts.Id(_functions.Intern(v.Text(field)));
            if (plain)
                _texts.Remember(r.ValueSpan, id);
            return id;
        }
        if (r.TokenType == JsonTokenType.Null)
            return _texts.Id("");
        throw v.Error($"{what} field '{field}' must be a string, not {JsonValues.Describe(r.TokenType)}");
    }
}
