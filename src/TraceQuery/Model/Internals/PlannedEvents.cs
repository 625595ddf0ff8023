using System.Runtime.CompilerServices;

namespace TraceQuery.Model.Internals;

/// <summary>
/// One span-fed thread's events, sorted, as 8 bytes each (span index and which of its events) until the column pass
/// writes them straight into the trace's columns (<see cref="TraceColumnBuilder"/>): no 32-byte row is ever made.
/// </summary>
internal sealed class PlannedEvents(uint threadId, long[] events, SpanScratch scratch)
{
    /// <summary>Code of a span's CALL.</summary>
    public const int CallCode = -1;

    /// <summary>Code of a span's RETURN; a code of 0 or more is the index of an exception.</summary>
    public const int ReturnCode = -2;

    public uint ThreadId { get; } = threadId;

    /// <summary>Per event in order, <see cref="Encode"/>d.</summary>
    public long[] Events { get; } = events;

    public int Length => Events.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Encode(int span, int code) => ((long)span << 32) | (uint)code;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (int Span, int Code) Decode(long item) => ((int)(item >> 32), (int)item);

    /// <summary>Event <paramref name="index"/> as a 32-byte row (for error messages).</summary>
    public TraceEvent At(int index)
    {
        (int s, int code) = Decode(Events[index]);
        ref readonly var span = ref scratch.Spans[s];
        return new TraceEvent(Time(span, code), span.FunctionId, ThreadId, Kind(code), scratch.Depths[s]);
    }

    /// <summary>
    /// Writes events [<paramref name="start"/>, +<paramref name="timestamps"/>.Length) into the column slices, function
    /// ids through <paramref name="map"/>; says whether a timestamp is out of range (a defect) and whether time went back.
    /// </summary>
    public void Write(int start, FunctionIdMap map, Span<long> timestamps, Span<int> ordinals, Span<byte> kinds,
        Span<uint> depths, Span<uint> details, out bool defective, out bool unsorted)
    {
        var events = Events.AsSpan(start, timestamps.Length);
        if (ordinals.Length != events.Length || kinds.Length != events.Length || depths.Length != events.Length || details.Length != events.Length)
            throw new ArgumentException("Column spans must match the source length.");
        var spans = scratch.Spans;
        var spanDepths = scratch.Depths;
        ulong defect = 0;
        bool back = false;
        long previous = long.MinValue;
        for (int i = 0; i < events.Length; i++)
        {
            (int s, int code) = Decode(events[i]);
            ref readonly var span = ref spans[s];
            ulong time = Time(span, code);
            defect |= time >> 63;
            long t = (long)time;
            back |= t < previous;
            previous = t;
            timestamps[i] = t;
            ordinals[i] = map.GetOrAdd(span.FunctionId);
            kinds[i] = (byte)Kind(code);
            depths[i] = spanDepths[s];
            details[i] = TraceEvent.NoDetail;
        }
        defective = defect != 0;
        unsorted = back;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static EventKind Kind(int code) => code switch
    {
        CallCode => EventKind.Call,
        ReturnCode => EventKind.Return,
        _ => EventKind.Exception,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Time(in StoredSpan span, int code)
    {
        if (code == CallCode)
            return span.StartNs;
        if (code == ReturnCode)
            return span.EndNs;
        ulong t = Math.Max(scratch.Exceptions[code].TimestampNs, span.StartNs);
        return span.HasEnd && t > span.EndNs ? span.EndNs : t;
    }
}
