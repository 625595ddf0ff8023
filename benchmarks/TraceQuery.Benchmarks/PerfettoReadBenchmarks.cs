using System.Buffers;
using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using TraceQuery.Benchmarks.PerfettoProtos;
using TraceQuery.Formats.Perfetto;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Reading a real Chromium Perfetto trace into an <see cref="Model.ExecutionTrace"/>, against a bare pass over the same
/// bytes and against Google.Protobuf (classes generated from the subset of Perfetto's protos the reader maps,
/// <c>Perfetto/perfetto_subset.proto</c>) parsing every packet, in the same run. Files, decompressed into memory first so
/// only decoding is timed: <c>fixture</c> is the committed recording <c>chromium156-flows.pftrace.gz</c> (2.7 MB);
/// <c>large</c> is a real-shaped ~64 MB file made from it at setup (never committed, see
/// <see cref="RealShaped(byte[], long)"/>). Throughput = decompressed bytes / time.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class PerfettoReadBenchmarks
{
    /// <summary>Bytes of the <c>large</c> file (<c>TRACEQUERY_BENCH_PERFETTO_MB</c>, default 64).</summary>
    internal static long LargeBytes =>
        (int.TryParse(Environment.GetEnvironmentVariable("TRACEQUERY_BENCH_PERFETTO_MB"), out int mb) && mb > 0 ? mb : 64) * 1_000_000L;

    /// <summary>Decompressed bytes of each file, noted at setup for the MB/s column (in-process toolchain: one process).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> Sizes = new();

    private byte[] _bytes = [];

    [Params("fixture", "large")]
    public string File { get; set; } = "fixture";

    [GlobalSetup]
    public void Setup()
    {
        var fixture = FixtureBytes();
        _bytes = File == "large" ? RealShaped(fixture, LargeBytes) : fixture;
        Sizes[File] = _bytes.Length;
        Console.WriteLine($"// perfetto {File}: {_bytes.Length:N0} bytes decompressed");
    }

    /// <summary>The committed Chromium recording, decompressed.</summary>
    internal static byte[] FixtureBytes()
    {
        string path = Path.Combine(FindRepositoryRoot(), "tests", "TraceQuery.Tests", "Fixtures", "perfetto", "chromium156-flows.pftrace.gz");
        using var gzip = new GZipStream(System.IO.File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>Baseline: split the packets and walk every field of each (protobuf wire format only, nothing kept).</summary>
    [Benchmark(Baseline = true)]
    public long BarePacketPass()
    {
        long fields = 0;
        PerfettoTraceReader.ForEachPacket(new MemoryStream(_bytes, writable: false), "bench", (packet, offset) =>
        {
            var wire = new ProtoWire(packet, offset);
            while (wire.Next())
            {
                wire.Skip();
                fields++;
            }
        });
        return fields;
    }

    /// <summary>
    /// Google.Protobuf: every packet parsed into the generated <see cref="TracePacket"/> (nested messages, strings and
    /// repeated fields materialised; fields outside the subset kept as unknown fields). Decoding only: no trace is built.
    /// </summary>
    [Benchmark]
    public long GoogleProtobufParsePackets()
    {
        long events = 0;
        PerfettoTraceReader.ForEachPacket(new MemoryStream(_bytes, writable: false), "bench", (packet, _) =>
        {
            var parsed = TracePacket.Parser.ParseFrom(packet);
            if (parsed.TrackEvent is { } e)
                events += e.NameIid > 0 ? 1 : 0;
        });
        return events;
    }

    /// <summary>PerfettoTraceReader.Read: a whole ExecutionTrace (tracks, slices, flows, names, counters, attributes).</summary>
    [Benchmark]
    public int ReadIntoTrace()
    {
        using var trace = PerfettoTraceReader.Read(new MemoryStream(_bytes, writable: false), "bench");
        return trace.EventCount;
    }

    /// <summary>
    /// A real-shaped file of about <paramref name="target"/> bytes: the recording's packets written again and again,
    /// copy <c>k</c> on its own packet sequences (<c>trusted_packet_sequence_id</c> + 10,000·k, so each copy rebuilds its
    /// interned state as Chrome's sequences do) and shifted 1,000·k s later (the trace-clock values of its clock
    /// snapshots and the absolute timestamps of packets without a track event; TrackEvent times are deltas on the
    /// sequence's incremental clock, so they follow the snapshot). Every packet is one Chrome wrote, re-encoded.
    /// </summary>
    internal static byte[] RealShaped(byte[] trace, long target)
    {
        var packets = new List<byte[]>();
        PerfettoTraceReader.ForEachPacket(new MemoryStream(trace, writable: false), "fixture", (packet, _) => packets.Add(packet.ToArray()));
        var output = new ArrayBufferWriter<byte>((int)Math.Min(target + trace.Length, int.MaxValue / 2));
        var packetBuffer = new ArrayBufferWriter<byte>(64 * 1024);
        for (int copy = 0; output.WrittenCount < target; copy++)
        {
            ulong shift = (ulong)copy * 1_000_000_000_000UL;
            foreach (byte[] packet in packets)
            {
                packetBuffer.ResetWrittenCount();
                Rewrite(packet, (uint)(copy * 10_000), shift, packetBuffer);
                Key(output, 1, 2);
                Varint(output, (ulong)packetBuffer.WrittenCount);
                output.Write(packetBuffer.WrittenSpan);
            }
        }
        return output.WrittenSpan.ToArray();
    }

    private static void Rewrite(byte[] packet, uint sequenceShift, ulong timeShift, ArrayBufferWriter<byte> into)
    {
        bool hasTrackEvent = false, ownClock = false;
        var scan = new ProtoWire(packet, 0);
        while (scan.Next())
        {
            hasTrackEvent |= scan.Field == 11;
            ownClock |= scan.Field == 58 && scan.ReadInteger() >= 64;
            if (scan.Field != 58)
                scan.Skip();
        }
        var wire = new ProtoWire(packet, 0);
        while (wire.Next())
        {
            int start = wire.FieldStart;
            switch (wire.Field)
            {
                case 10 when wire.WireType == 0:
                    Key(into, 10, 0);
                    Varint(into, wire.ReadVarint() + sequenceShift);
                    break;
                case 8 when wire.WireType == 0 && !hasTrackEvent && !ownClock:
                    Key(into, 8, 0);
                    Varint(into, wire.ReadVarint() + timeShift);
                    break;
                case 6 when wire.WireType == 2:
                    {
                        var snapshot = wire.ReadBytes();
                        var rewritten = new ArrayBufferWriter<byte>(snapshot.Length + 16);
                        RewriteSnapshot(snapshot, timeShift, rewritten);
                        Key(into, 6, 2);
                        Varint(into, (ulong)rewritten.WrittenCount);
                        into.Write(rewritten.WrittenSpan);
                        break;
                    }
                default:
                    wire.Skip();
                    into.Write(packet.AsSpan(start, (int)wire.Offset - start));
                    break;
            }
        }
    }

    /// <summary>Shifts every clock of a <c>ClockSnapshot</c> below 64 (the global clocks) by <paramref name="shift"/>.</summary>
    private static void RewriteSnapshot(ReadOnlySpan<byte> snapshot, ulong shift, ArrayBufferWriter<byte> into)
    {
        var wire = new ProtoWire(snapshot, 0);
        while (wire.Next())
        {
            int start = wire.FieldStart;
            if (wire.Field != 1 || wire.WireType != 2)
            {
                wire.Skip();
                into.Write(snapshot[start..(int)wire.Offset]);
                continue;
            }
            var clock = wire.ReadBytes();
            ulong id = 0;
            var fields = new ProtoWire(clock, 0);
            while (fields.Next())
            {
                if (fields.Field == 1)
                    id = fields.ReadInteger();
                else
                    fields.Skip();
            }
            var rewritten = new ArrayBufferWriter<byte>(clock.Length + 8);
            fields = new ProtoWire(clock, 0);
            while (fields.Next())
            {
                int at = fields.FieldStart;
                if (fields.Field == 2 && fields.WireType == 0 && id < 64)
                {
                    Key(rewritten, 2, 0);
                    Varint(rewritten, fields.ReadVarint() + shift);
                }
                else
                {
                    fields.Skip();
                    rewritten.Write(clock[at..(int)fields.Offset]);
                }
            }
            Key(into, 1, 2);
            Varint(into, (ulong)rewritten.WrittenCount);
            into.Write(rewritten.WrittenSpan);
        }
    }

    private static void Key(ArrayBufferWriter<byte> into, int field, int wireType) => Varint(into, ((ulong)field << 3) | (uint)wireType);

    private static void Varint(ArrayBufferWriter<byte> into, ulong value)
    {
        var span = into.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        into.Advance(n);
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "TraceQuery.sln")))
                return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default
                .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(10)
                .WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance));
            AddColumn(new FileThroughputColumn(c => Sizes.GetValueOrDefault((string)c.Parameters["File"])));
        }
    }
}
