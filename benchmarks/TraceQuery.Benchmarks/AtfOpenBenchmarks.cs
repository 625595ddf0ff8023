using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using TraceQuery.Formats.Atf;
using TraceQuery.Vectorized;

namespace TraceQuery.Benchmarks;

/// <summary>
/// Opening an ATF session and building its columns (target ≥ 5 GB/s of event bytes), against a plain
/// FileStream + BinaryReader loop that fills the same kind of columns. The session is generated once and
/// served from the page cache, so this measures parsing and column building, not the disk.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 8)]
[MemoryDiagnoser]
[EventThroughputColumn]
public class AtfOpenBenchmarks
{
    private const int HeaderSize = 64;
    private const int FooterSize = 64;

    private static readonly AtfReadOptions NoChecksums = new() { VerifyChecksums = false };
    private static readonly AtfReadOptions ReadCalls = new() { EventAccess = AtfEventAccess.ReadCalls };
    private static readonly AtfReadOptions PopulatedMapping = new() { EventAccess = AtfEventAccess.PopulatedMapping };

    private string _directory = "";
    private string[] _indexFiles = [];

    /// <summary>Generates (or finds) the session and touches its files once so they sit in the page cache.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _directory = AtfBenchmarkSession.GetOrCreate();
        _indexFiles = AtfBenchmarkSession.GetIndexFiles(_directory);
        foreach (string path in _indexFiles)
        {
            using var stream = File.OpenRead(path);
            stream.CopyTo(Stream.Null);
        }
    }

    /// <summary>Baseline: reads every field of every event with a BinaryReader into long/ulong/byte/uint columns.</summary>
    [Benchmark]
    public long FileStreamBinaryReader()
    {
        var counts = new long[_indexFiles.Length];
        long total = 0;
        for (int t = 0; t < _indexFiles.Length; t++)
        {
            counts[t] = ReadFooterEventCount(_indexFiles[t]);
            total += counts[t];
        }

        var timestamps = new long[total];
        var functionIds = new ulong[total];
        var kinds = new byte[total];
        var depths = new uint[total];
        var detailSeqs = new uint[total];
        uint threadIds = 0;
        int e = 0;
        for (int t = 0; t < _indexFiles.Length; t++)
        {
            using var stream = new FileStream(_indexFiles[t], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var reader = new BinaryReader(stream);
            stream.Position = HeaderSize;
            for (long i = 0; i < counts[t]; i++, e++)
            {
                timestamps[e] = (long)reader.ReadUInt64();
                functionIds[e] = reader.ReadUInt64();
                threadIds |= reader.ReadUInt32();
                kinds[e] = (byte)reader.ReadUInt32();
                depths[e] = reader.ReadUInt32();
                detailSeqs[e] = reader.ReadUInt32();
            }
        }
        return e + threadIds;
    }

    /// <summary>
    /// Issue 18's yardstick for opening: the same index files read whole into memory with plain read calls (one array
    /// per file, no parsing): what an open at read speed would cost. AtfReader.Open should be within 1.5× of it.
    /// </summary>
    [Benchmark(Baseline = true)]
    public long PlainReadIntoMemory()
    {
        long total = 0;
        foreach (string path in _indexFiles)
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            var bytes = GC.AllocateUninitializedArray<byte>(checked((int)RandomAccess.GetLength(handle)));
            int read = 0;
            while (read < bytes.Length)
            {
                int n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
                if (n == 0)
                    throw new EndOfStreamException(path);
                read += n;
            }
            total += bytes[^1] + read;
        }
        return total;
    }

    /// <summary>AtfReader.Open with CRC32 verification of every index file (the default), then dispose.</summary>
    [Benchmark]
    public int AtfReaderOpen()
    {
        using var trace = AtfReader.Open(_directory);
        return trace.EventCount;
    }

    /// <summary>AtfReader.Open without checksum verification, then dispose.</summary>
    [Benchmark]
    public int AtfReaderOpenNoChecksums()
    {
        using var trace = AtfReader.Open(_directory, NoChecksums);
        return trace.EventCount;
    }

    /// <summary>AtfReader.Open with checksums, the column pass forced onto its scalar twin (no AVX2 transposition).</summary>
    [Benchmark]
    public int AtfReaderOpenScalar()
    {
        using var scope = KernelDispatch.ForceScalarScope();
        using var trace = AtfReader.Open(_directory);
        return trace.EventCount;
    }

    /// <summary>AtfReader.Open with checksums, the events read with read calls into a pooled block the pass splits in cache (no mapping read).</summary>
    [Benchmark]
    public int AtfReaderOpenReadCalls()
    {
        using var trace = AtfReader.Open(_directory, ReadCalls);
        return trace.EventCount;
    }

    /// <summary>AtfReader.Open with checksums, every page of the event sections mapped in first (MADV_POPULATE_READ).</summary>
    [Benchmark]
    public int AtfReaderOpenPopulatedMapping()
    {
        using var trace = AtfReader.Open(_directory, PopulatedMapping);
        return trace.EventCount;
    }

    /// <summary>The footer's event_count (u64 at footer offset 8).</summary>
    private static long ReadFooterEventCount(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        Span<byte> footer = stackalloc byte[FooterSize];
        stream.Position = stream.Length - FooterSize;
        stream.ReadExactly(footer);
        return checked((long)BinaryPrimitives.ReadUInt64LittleEndian(footer[8..]));
    }
}
