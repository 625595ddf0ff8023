namespace TraceQuery.Fuzz;

/// <summary>
/// Writes small Perfetto protobuf traces field by field (a protobuf writer of a few lines, field numbers from
/// Perfetto's .proto files), for the fuzz seeds and the reader's property and mapping tests.
/// </summary>
internal static class PerfettoSeeds
{
    /// <summary>Builds one protobuf message.</summary>
    public sealed class Message
    {
        private readonly MemoryStream _bytes = new();

        public Message Varint(int field, ulong value)
        {
            Key(field, 0);
            Raw(value);
            return this;
        }

        public Message Signed(int field, long value) => Varint(field, unchecked((ulong)value));

        public Message Fixed64(int field, ulong value)
        {
            Key(field, 1);
            Span<byte> b = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(b, value);
            _bytes.Write(b);
            return this;
        }

        public Message Double(int field, double value) => Fixed64(field, BitConverter.DoubleToUInt64Bits(value));

        public Message Text(int field, string value) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(value));

        public Message Sub(int field, Message message) => Bytes(field, message.ToArray());

        public Message Bytes(int field, byte[] value)
        {
            Key(field, 2);
            Raw((ulong)value.Length);
            _bytes.Write(value);
            return this;
        }

        public byte[] ToArray() => _bytes.ToArray();

        private void Key(int field, int wire) => Raw(((ulong)field << 3) | (uint)wire);

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _bytes.WriteByte((byte)value);
        }
    }

    public static Message New() => new();

    /// <summary>A trace: each message a TracePacket (field 1 of Trace).</summary>
    public static byte[] Trace(params Message[] packets)
    {
        var trace = new Message();
        foreach (var packet in packets)
            trace.Sub(1, packet);
        return trace.ToArray();
    }

    public const ulong ProcessTrack = 100, ThreadTrack = 101, AsyncTrack = 102, CounterTrack = 103;
    public const uint Sequence = 7;

    /// <summary>
    /// A trace that uses every mapped feature once: process, thread, async and counter tracks; interned names,
    /// categories and annotation names; an incremental clock (id 64, microseconds) related to BOOTTIME by a
    /// snapshot; nested slices, an instant, an async slice, counter values, debug annotations and a flow.
    /// Times in the trace clock (ns): slices at 1,000,000..1,900,000.
    /// </summary>
    public static byte[] Features()
    {
        var packets = new List<Message>
        {
            // Incremental state cleared, with the clock snapshot (as Chrome writes it): BOOTTIME 1,000,000 ns ==
            // clock 64 value 0 (incremental, 1 µs units).
            Packet().Varint(13, 1)
                .Sub(6, New()
                    .Sub(1, New().Varint(1, 6).Varint(2, 1_000_000))
                    .Sub(1, New().Varint(1, 64).Varint(2, 0).Varint(3, 1).Varint(4, 1000)))
                .Sub(59, New().Varint(58, 64).Sub(11, New().Varint(11, ThreadTrack)))
                .Sub(12, New()
                    .Sub(1, New().Varint(1, 1).Text(2, "cat.a"))
                    .Sub(2, New().Varint(1, 1).Text(2, "Outer"))
                    .Sub(2, New().Varint(1, 2).Text(2, "Inner"))
                    .Sub(3, New().Varint(1, 1).Text(2, "size"))),
            Packet().Sub(60, New().Varint(1, ProcessTrack).Sub(3, New().Varint(1, 42).Text(6, "Proc")).Text(2, "ignored")),
            Packet().Sub(60, New().Varint(1, ThreadTrack).Varint(5, ProcessTrack).Sub(4, New().Varint(1, 42).Varint(2, 43).Text(5, "Main"))),
            Packet().Sub(60, New().Varint(1, AsyncTrack).Varint(5, ProcessTrack).Text(2, "Loads")),
            Packet().Sub(60, New().Varint(1, CounterTrack).Varint(5, ProcessTrack).Text(2, "Memory").Sub(8, New())),
            // t = 0 µs: Outer begins (name and category interned), with an annotation and a flow out.
            Event(0, New().Varint(9, 1).Varint(3, 1).Varint(10, 1)
                .Sub(4, New().Varint(1, 1).Varint(4, 7))
                .Fixed64(47, 0xF1)),
            // t = 100 µs: Inner begins (string name, string annotation name).
            Event(100, New().Varint(9, 1).Varint(3, 1).Varint(10, 2).Sub(4, New().Text(10, "note").Text(6, "hi"))),
            // t = 300 µs: Inner ends; t = 400 µs: an instant.
            Event(200, New().Varint(9, 2)),
            Event(100, New().Varint(9, 3).Text(22, "cat.b").Text(23, "Tick")),
            // t = 500 µs: an async slice on its own track, ends at 800 µs.
            Event(100, New().Varint(9, 1).Varint(11, AsyncTrack).Text(22, "net").Text(23, "Load")),
            Event(300, New().Varint(9, 2).Varint(11, AsyncTrack)),
            // t = 850, 870 µs: counter values.
            Event(50, New().Varint(9, 4).Varint(11, CounterTrack).Signed(30, 10)),
            Event(20, New().Varint(9, 4).Varint(11, CounterTrack).Double(44, 2.5)),
            // t = 900 µs: Outer ends; then a second slice that terminates the flow, 1,000..1,100 µs.
            Event(30, New().Varint(9, 2)),
            Event(100, New().Varint(9, 1).Text(23, "Later").Fixed64(48, 0xF1)),
            Event(100, New().Varint(9, 2)),
            // Service packets the reader counts as skipped.
            New().Sub(33, New().Varint(1, 1)),
            New().Sub(66, New().Varint(1, 1)),
        };
        return Trace([.. packets]);
    }

    private static Message Packet() => New().Varint(10, Sequence);

    private static Message Event(ulong deltaUs, Message trackEvent) =>
        Packet().Varint(8, deltaUs).Varint(13, 2).Sub(11, trackEvent);
}
