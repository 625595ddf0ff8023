namespace TraceQuery.Model.Internals;

/// <summary>
/// Span id to the index of the span kept for it, for <see cref="TraceBuilder.Build"/>. Readers number their spans
/// densely (Chrome, Perfetto and OTLP count from 1), so when the ids span a range at most twice the span count, a flat
/// array indexed by <c>id - min</c> (4 bytes per slot, no hashing) serves; other ids (recorders' random 64-bit ids) use a
/// dictionary (~28 bytes per span).
/// </summary>
internal sealed class SpanIdIndex
{
    private readonly int[]? _dense;
    private readonly ulong _min;
    private readonly Dictionary<ulong, int>? _map;

    private SpanIdIndex(int[]? dense, ulong min, Dictionary<ulong, int>? map) => (_dense, _min, _map) = (dense, min, map);

    /// <summary>An index of no span.</summary>
    public static SpanIdIndex Empty { get; } = new([], 0, null);

    /// <summary>An empty index sized for the ids of <paramref name="spans"/>.</summary>
    public static SpanIdIndex For(ChunkedAppendList<StoredSpan> spans)
    {
        int count = spans.Count;
        if (count == 0)
            return Empty;
        ulong min = ulong.MaxValue, max = 0;
        for (int s = 0; s < count; s++)
        {
            ulong id = spans[s].SpanId;
            min = Math.Min(min, id);
            max = Math.Max(max, id);
        }
        ulong range = max - min;
        if (range < (2UL * (ulong)count) + 1024 && range < (ulong)Array.MaxLength)
        {
            var dense = GC.AllocateUninitializedArray<int>((int)range + 1);
            Array.Fill(dense, -1);
            return new SpanIdIndex(dense, min, null);
        }
        return new SpanIdIndex(null, 0, new Dictionary<ulong, int>(count));
    }

    /// <summary>Records <paramref name="span"/> for <paramref name="id"/>; false (and nothing changed) when the id is already taken.</summary>
    public bool TryAdd(ulong id, int span)
    {
        if (_map is not null)
            return _map.TryAdd(id, span);
        ref int slot = ref _dense![(int)(id - _min)];
        if (slot >= 0)
            return false;
        slot = span;
        return true;
    }

    /// <summary>The span recorded for <paramref name="id"/>, if any.</summary>
    public bool TryGetValue(ulong id, out int span)
    {
        if (_map is not null)
            return _map.TryGetValue(id, out span);
        ulong offset = id - _min;
        if (id < _min || offset >= (ulong)_dense!.Length)
        {
            span = -1;
            return false;
        }
        span = _dense[(int)offset];
        return span >= 0;
    }
}
