using TraceQuery.Formats.Chrome;
using TraceQuery.Formats.Internals;
using TraceQuery.Model;

namespace TraceQuery.Formats.Perfetto;

/// <summary>
/// Reads a Perfetto protobuf trace (<c>.pftrace</c>, <c>.perfetto-trace</c>: a <c>Trace</c>, that is repeated
/// <c>TracePacket</c>), as Chrome, the Perfetto SDK and ui.perfetto.dev write it, into an <see cref="ExecutionTrace"/>.
/// Streams the file one packet at a time (gzip too): memory grows with the events kept, not the file.
/// </summary>
/// <remarks>
/// Mapping (TrackEvent): a <c>track_descriptor</c> with a thread → that thread (pid and tid as written,
/// <c>thread_name</c>), with a process → the process name; any other track is an async track of the process it
/// descends from (<see cref="SpanTrack.Async"/>), or a counter track. Slice begin/end on a thread track nest on that
/// thread; on another track they become async spans; instants are zero-length spans; counter values feed
/// <see cref="TraceMetadata.Counters"/> (named after the track, suffixed <c>.value</c>). <c>name</c>/<c>name_iid</c> →
/// function, the first category → module, <c>debug_annotations</c> → the span's attributes, <c>flow_ids</c> /
/// <c>terminating_flow_ids</c> → links. Interned names, categories and annotation names are kept per
/// <c>trusted_packet_sequence_id</c> and cleared when a packet says incremental state was cleared; a packet that needs
/// incremental state on a sequence that never had it is skipped and counted. Timestamps: per-packet clocks,
/// sequence-scoped incremental clocks and <c>clock_snapshot</c>s are brought to the trace clock (BOOTTIME unless the
/// snapshot names another). Legacy <c>thread_descriptor</c>/<c>process_descriptor</c> packets name threads and processes;
/// a TrackEvent's <c>legacy_event</c> phase is honoured. Every other packet kind (ftrace, system info, sampling
/// packets, …) is counted in <see cref="TraceMetadata.SkippedRecords"/> by its field, never an error. The mapping goes
/// through the Chrome JSON reader's collector so both formats build a trace the same way (and the same producer marks).
/// </remarks>
public static class PerfettoTraceReader
{
    /// <summary>Largest packet accepted (Perfetto's own limit is far lower).</summary>
    internal const int MaxPacketBytes = 64 << 20;

    /// <summary>Reads a Perfetto trace file (gzip compressed or not).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TraceFormatException">It is not a valid Perfetto trace; the message names the byte offset.</exception>
    public static ExecutionTrace Open(string path, JsonTraceReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        path = Path.GetFullPath(path);
        using var stream = TraceContent.OpenRead(path, (options ?? JsonTraceReadOptions.Default).MaxDecompressedBytes, out var gzip);
        try
        {
            return Read(stream, path);
        }
        catch (TraceFormatException e) when (gzip is not null && e.Offset is not null && !ReferenceEquals(e, gzip.Failure))
        {
            throw new TraceFormatException(e.Path, e.Offset, e.Problem + " (The file is gzip compressed; the byte offset counts decompressed bytes.)", e.InnerException);
        }
    }

    /// <summary>Reads a Perfetto trace from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors and metadata.</summary>
    /// <exception cref="TraceFormatException">It is not a valid Perfetto trace; the message names the byte offset.</exception>
    public static ExecutionTrace Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        var mapper = new PerfettoPacketMapper(sourceName);
        ForEachPacket(stream, sourceName, mapper.AddPacket);
        return mapper.Build();
    }

    /// <summary>A packet's bytes and the file offset where they start.</summary>
    internal delegate void PacketHandler(ReadOnlySpan<byte> packet, long offset);

    /// <summary>
    /// Walks the top-level <c>Trace</c> message: each field 1 (length-delimited) is a packet handed to
    /// <paramref name="handler"/>; other top-level fields are skipped as protobuf allows. Reads one packet at a time.
    /// </summary>
    internal static long ForEachPacket(Stream stream, string sourceName, PacketHandler handler)
    {
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        long consumed = 0, packets = 0;
        while (true)
        {
            // Make sure the key and length varints (at most 20 bytes) are buffered, or the stream has ended.
            if (end - start < 20)
            {
                Compact(ref buffer, ref start, ref end, 20);
                end += Fill(stream, buffer.AsSpan(end));
                if (end == start)
                    return packets;
            }
            long fieldAt = consumed;
            var head = buffer.AsSpan(start, end - start);
            int pos = 0;
            ulong key = Varint(head, ref pos, sourceName, fieldAt);
            int field = (int)Math.Min(key >> 3, int.MaxValue), wire = (int)(key & 7);
            if (field == 0)
                throw new TraceFormatException(sourceName, fieldAt, "not a Perfetto trace: a top-level field numbered 0 (a Perfetto trace is repeated TracePacket, field 1).");
            ulong length = 0;
            switch (wire)
            {
                case 0:
                    Varint(head, ref pos, sourceName, fieldAt);
                    break;
                case 1:
                    length = 8;
                    break;
                case 5:
                    length = 4;
                    break;
                case 2:
                    length = Varint(head, ref pos, sourceName, fieldAt);
                    break;
                default:
                    throw new TraceFormatException(sourceName, fieldAt, $"not a Perfetto trace: top-level field {field} has wire type {wire}, which protobuf traces do not use.");
            }
            if (length > MaxPacketBytes)
                throw new TraceFormatException(sourceName, fieldAt, $"top-level field {field} claims {length} bytes, more than the {MaxPacketBytes}-byte limit for one packet; the file is damaged or not a Perfetto trace.");
            start += pos;
            consumed += pos;
            int need = (int)length;
            if (end - start < need)
            {
                Compact(ref buffer, ref start, ref end, need);
                while (end - start < need)
                {
                    int read = Fill(stream, buffer.AsSpan(end));
                    if (read == 0)
                        throw new TraceFormatException(sourceName, fieldAt, $"the file ends inside top-level field {field}: it claims {need} bytes and {end - start} remain (the trace was cut short).");
                    end += read;
                }
            }
            if (field == 1 && wire == 2)
            {
                packets++;
                try
                {
                    handler(buffer.AsSpan(start, need), consumed);
                }
                catch (ProtoWireException e)
                {
                    throw new TraceFormatException(sourceName, e.Offset, $"packet {packets} is not valid protobuf: {e.Message}.");
                }
            }
            start += need;
            consumed += need;
        }
    }

    private static int Fill(Stream stream, Span<byte> into)
    {
        int total = 0;
        while (total < into.Length)
        {
            int read = stream.Read(into[total..]);
            if (read == 0)
                break;
            total += read;
            if (total >= 4096)
                break;
        }
        return total;
    }

    /// <summary>Moves unread bytes to the front and grows the buffer so <paramref name="need"/> bytes fit.</summary>
    private static void Compact(ref byte[] buffer, ref int start, ref int end, int need)
    {
        int have = end - start;
        if (need > buffer.Length)
        {
            var bigger = new byte[Math.Max(need, buffer.Length * 2)];
            buffer.AsSpan(start, have).CopyTo(bigger);
            buffer = bigger;
        }
        else if (start > 0)
        {
            buffer.AsSpan(start, have).CopyTo(buffer);
        }
        start = 0;
        end = have;
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int pos, string sourceName, long at)
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (pos >= data.Length)
                throw new TraceFormatException(sourceName, at, "the file ends inside a top-level field key or length (the trace was cut short).");
            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw new TraceFormatException(sourceName, at, "not a Perfetto trace: a top-level varint longer than 10 bytes.");
    }

    /// <summary>
    /// True when <paramref name="head"/> (a file's first bytes) begins like a Perfetto trace: one or more whole
    /// top-level field-1 packets whose content parses as protobuf, reaching the end of the head or of the file.
    /// </summary>
    internal static bool LooksLikeTrace(ReadOnlySpan<byte> head, bool headIsWholeFile)
    {
        if (head.Length < 2 || head[0] != 0x0A)
            return false;
        int pos = 0, packets = 0;
        try
        {
            while (pos < head.Length)
            {
                int at = pos;
                var wire = new ProtoWire(head[pos..], 0);
                if (!wire.Next() || wire.Field != 1 || wire.WireType != 2)
                    return false;
                ulong length = wire.ReadVarint();
                int keyBytes = LengthOfKeyAndLength(head[at..]);
                if (length > MaxPacketBytes)
                    return false;
                if ((ulong)(head.Length - at - keyBytes) < length)
                    return packets > 0 || !headIsWholeFile && IsMessage(head[(at + keyBytes)..], partial: true);
                var packet = head.Slice(at + keyBytes, (int)length);
                if (!IsMessage(packet, partial: false))
                    return false;
                packets++;
                pos = at + keyBytes + (int)length;
            }
            return packets > 0;
        }
        catch (ProtoWireException)
        {
            return false;
        }
    }

    private static int LengthOfKeyAndLength(ReadOnlySpan<byte> data)
    {
        int pos = 1; // the key 0x0A
        while (data[pos] >= 0x80)
            pos++;
        return pos + 1;
    }

    private static bool IsMessage(ReadOnlySpan<byte> message, bool partial)
    {
        var wire = new ProtoWire(message, 0);
        int fields = 0;
        try
        {
            while (wire.Next())
            {
                wire.Skip();
                fields++;
            }
        }
        catch (ProtoWireException)
        {
            return partial && fields > 0;
        }
        return true;
    }
}
