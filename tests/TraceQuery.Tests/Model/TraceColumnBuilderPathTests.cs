using System.IO.Hashing;
using System.Runtime.InteropServices;
using TraceQuery.Model;
using TraceQuery.Tests.Infrastructure;
using TraceQuery.Vectorized;

namespace TraceQuery.Tests.Model;

/// <summary>
/// The column pass's AVX2 body, its scalar twin and its read-call source give the same columns, threads, repairs and
/// errors, on rows shaped to hit every seam (group and block edges, details, disorder, defects, checksums).
/// </summary>
[TestClass]
public sealed class TraceColumnBuilderPathTests
{
    private const int Block = 1 << 14; // TraceColumnBuilder's checksum block, in events

    /// <summary>Thread id used by every generated thread.</summary>
    private const uint Tid = 7;

    private static TraceEvent[] CleanRows(Random random, int count, bool details)
    {
        var rows = new TraceEvent[count];
        ulong time = (ulong)random.NextInt64(0, 1L << 40);
        uint detail = 0;
        for (int i = 0; i < count; i++)
        {
            time += (ulong)random.Next(0, 50);
            ulong function = ((ulong)random.Next(0, 3) << 32) | (uint)random.Next(0, 40);
            uint seq = details && random.Next(4) == 0 ? detail++ : TraceEvent.NoDetail;
            rows[i] = new TraceEvent(time, function, Tid, (EventKind)random.Next(1, 4), (uint)random.Next(0, 64), seq);
        }
        return rows;
    }

    private static ThreadInput Input(TraceEvent[] rows, uint detailRecords = 0, bool detailComplete = false, uint checksum = 0) => new()
    {
        ThreadId = Tid,
        Events = new ThreadEventRows(rows),
        DetailRecordCount = detailRecords,
        DetailComplete = detailComplete,
        ExpectedChecksum = checksum,
    };

    private static uint Crc(TraceEvent[] rows) => Crc32.HashToUInt32(MemoryMarshal.AsBytes(rows.AsSpan()));

    /// <summary>The same build three ways: the default pass (AVX2 where available), the scalar twin, and read calls on a file.</summary>
    private static (BuiltColumns Columns, ColumnBuildError? Error)[] BuildThreeWays(IReadOnlyList<ThreadInput> inputs, TraceEvent[][] rows)
    {
        var results = new (BuiltColumns, ColumnBuildError?)[3];
        results[0] = (TraceColumnBuilder.Build(inputs, out var e0), e0);
        using (KernelDispatch.ForceScalarScope())
            results[1] = (TraceColumnBuilder.Build(inputs, out var e1), e1);

        string directory = TestPaths.NewTempDirectory("column-paths");
        var handles = new List<Microsoft.Win32.SafeHandles.SafeFileHandle>();
        try
        {
            var fileInputs = new List<ThreadInput>();
            for (int t = 0; t < inputs.Count; t++)
            {
                string path = Path.Combine(directory, $"rows{t}.bin");
                // 5 bytes of something else first, so the rows start at an offset the reader must honour.
                File.WriteAllBytes(path, [.. new byte[] { 1, 2, 3, 4, 5 }, .. MemoryMarshal.AsBytes(rows[t].AsSpan()).ToArray()]);
                var handle = File.OpenHandle(path);
                handles.Add(handle);
                var input = inputs[t];
                fileInputs.Add(new ThreadInput
                {
                    ThreadId = input.ThreadId,
                    Events = new ThreadEventRows(handle, 5, rows[t].Length),
                    DetailRecordCount = input.DetailRecordCount,
                    DetailComplete = input.DetailComplete,
                    ExpectedChecksum = input.ExpectedChecksum,
                });
            }
            results[2] = (TraceColumnBuilder.Build(fileInputs, out var e2), e2);
        }
        finally
        {
            foreach (var handle in handles)
                handle.Dispose();
            Directory.Delete(directory, recursive: true);
        }
        return results;
    }

    private static void AssertSame((BuiltColumns Columns, ColumnBuildError? Error)[] results, string because)
    {
        var (first, firstError) = results[0];
        for (int r = 1; r < results.Length; r++)
        {
            var (other, otherError) = results[r];
            string path = $"{because}, path {r} against path 0";
            Assert.AreEqual(firstError, otherError, path + ": error");
            Assert.AreEqual(first.Count, other.Count, path + ": count");
            CollectionAssert.AreEqual(first.Timestamps[..first.Count], other.Timestamps[..other.Count], path + ": timestamps");
            CollectionAssert.AreEqual(first.FunctionOrdinals[..first.Count], other.FunctionOrdinals[..other.Count], path + ": ordinals");
            CollectionAssert.AreEqual(first.Kinds[..first.Count], other.Kinds[..other.Count], path + ": kinds");
            CollectionAssert.AreEqual(first.Depths[..first.Count], other.Depths[..other.Count], path + ": depths");
            CollectionAssert.AreEqual(first.DetailSeqs[..first.Count], other.DetailSeqs[..other.Count], path + ": details");
            CollectionAssert.AreEqual(first.FunctionIds, other.FunctionIds, path + ": function ids");
            CollectionAssert.AreEqual(first.Threads, other.Threads, path + ": threads");
            Assert.AreEqual(first.SequenceMaps.Length, other.SequenceMaps.Length, path + ": sequence maps");
            for (int t = 0; t < first.SequenceMaps.Length; t++)
                CollectionAssert.AreEqual(first.SequenceMaps[t], other.SequenceMaps[t], path + $": sequence map {t}");
        }
    }

    public static IEnumerable<object[]> Lengths =>
    [
        [0], [1], [7], [8], [9], [15], [16], [63], [Block - 1], [Block], [Block + 9], [(2 * Block) + 13],
    ];

    [TestMethod]
    [DynamicData(nameof(Lengths))]
    public void Build_CleanRows_EveryPathGivesTheRowsAsColumns(int length)
    {
        var random = new Random(1000 + length);
        var rows = CleanRows(random, length, details: false);
        var results = BuildThreeWays([Input(rows, checksum: length == 0 ? 0 : Crc(rows))], [rows]);
        AssertSame(results, $"{length} clean rows");

        var (columns, error) = results[0];
        Assert.IsNull(error);
        Assert.AreEqual(length, columns.Count);
        for (int i = 0; i < length; i++)
        {
            Assert.AreEqual((long)rows[i].TimestampNs, columns.Timestamps[i], $"timestamp {i}");
            Assert.AreEqual(rows[i].FunctionId, columns.FunctionIds[columns.FunctionOrdinals[i]], $"function {i}");
            Assert.AreEqual((byte)rows[i].Kind, columns.Kinds[i], $"kind {i}");
            Assert.AreEqual(rows[i].CallDepth, columns.Depths[i], $"depth {i}");
            Assert.AreEqual(TraceEvent.NoDetail, columns.DetailSeqs[i], $"detail {i}");
        }
        Assert.IsFalse(columns.Threads[0].Recovery.Reordered);
    }

    [TestMethod]
    [DynamicData(nameof(Lengths))]
    public void Build_RowsWithDetailsDanglingAndReusedLinks_EveryPathRepairsAlike(int length)
    {
        var random = new Random(2000 + length);
        var rows = CleanRows(random, length, details: true);
        uint records = (uint)rows.Count(r => r.HasDetail);
        // Some links past the records (dangling: the detail file was cut), one link written twice.
        for (int i = 0; i < length; i += 11)
            rows[i] = rows[i] with { DetailSeq = records + (uint)i };
        if (length > 20)
            rows[length - 3] = rows[length - 3] with { DetailSeq = 0 };
        long dangling = rows.Count(r => r.HasDetail && r.DetailSeq >= records);

        var results = BuildThreeWays([Input(rows, records, detailComplete: false)], [rows]);
        AssertSame(results, $"{length} rows with details");
        var (columns, error) = results[0];
        Assert.IsNull(error);
        Assert.AreEqual(dangling, columns.Threads[0].Recovery.DetailLinksDropped);
        Assert.AreEqual(0, columns.DetailSeqs[..columns.Count].Count(d => d != TraceEvent.NoDetail && d >= records), "no dangling link kept");

        // The same links with a complete detail file are corruption, reported at the first one.
        if (dangling > 0)
        {
            var strict = BuildThreeWays([Input(rows, records, detailComplete: true)], [rows]);
            AssertSame(strict, $"{length} rows with details, complete detail file");
            Assert.AreEqual(EventDefect.DetailSeqOutOfRange, strict[0].Error!.Value.Defect);
            Assert.AreEqual(Array.FindIndex(rows, r => r.HasDetail && r.DetailSeq >= records), strict[0].Error!.Value.Position);
        }
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    [DataRow(4)]
    [DataRow(7)]
    [DataRow(8)]
    [DataRow(12)]
    [DataRow(Block)]
    [DataRow(Block + 4)]
    public void Build_OneEventOutOfOrder_EveryPathSeesItAndSorts(int position)
    {
        var random = new Random(3000 + position);
        var rows = CleanRows(random, (2 * Block) + 40, details: false);
        // Each timestamp strictly after the one before, then one event moved back before its predecessor.
        for (int i = 1; i < rows.Length; i++)
            rows[i] = rows[i] with { TimestampNs = rows[i - 1].TimestampNs + 10 };
        rows[position] = rows[position] with { TimestampNs = rows[position - 1].TimestampNs - 1 };

        var results = BuildThreeWays([Input(rows)], [rows]);
        AssertSame(results, $"disorder at {position}");
        var (columns, error) = results[0];
        Assert.IsNull(error);
        Assert.IsTrue(columns.Threads[0].Recovery.Reordered);
        Assert.AreEqual((long)rows[position].TimestampNs, columns.Timestamps[position - 1], "the late event sorted before its predecessor");
    }

    public static IEnumerable<object[]> Defects =>
    [
        [(int)EventDefect.InvalidKind, 0], [(int)EventDefect.InvalidKind, 9], [(int)EventDefect.InvalidKind, Block + 7],
        [(int)EventDefect.ThreadIdMismatch, 5], [(int)EventDefect.ThreadIdMismatch, 16],
        [(int)EventDefect.TimestampOutOfRange, 3], [(int)EventDefect.TimestampOutOfRange, 40],
    ];

    [TestMethod]
    [DynamicData(nameof(Defects))]
    public void Build_OneDefectiveRow_EveryPathReportsItAtItsPosition(int defectValue, int position)
    {
        var defect = (EventDefect)defectValue;
        var random = new Random(4000 + position);
        var rows = CleanRows(random, Block + 50, details: false);
        rows[position] = defect switch
        {
            EventDefect.InvalidKind => rows[position] with { Kind = (EventKind)(position % 2 == 0 ? 0 : 4) },
            EventDefect.ThreadIdMismatch => rows[position] with { ThreadId = Tid + 1 },
            _ => rows[position] with { TimestampNs = (1UL << 63) + 5 },
        };
        var before = CleanRows(random, 30, details: false);
        var results = BuildThreeWays([Input(before), Input(rows)], [before, rows]);
        AssertSame(results, $"{defect} at {position}");
        var error = results[0].Error;
        Assert.IsNotNull(error);
        Assert.AreEqual((1, position, defect), (error.Value.ThreadIndex, error.Value.Position, error.Value.Defect));
        Assert.AreEqual(rows[position], error.Value.Event);
    }

    [TestMethod]
    public void Build_WrongChecksum_EveryPathReportsTheHashOfTheBytes()
    {
        var rows = CleanRows(new Random(5000), (3 * Block) + 5, details: false);
        uint actual = Crc(rows);
        var results = BuildThreeWays([Input(rows, checksum: actual ^ 1)], [rows]);
        AssertSame(results, "wrong checksum");
        Assert.AreEqual(new ColumnBuildError(0, 0, EventDefect.ChecksumMismatch, default, actual), results[0].Error);
    }

    [TestMethod]
    public void Build_FunctionsFirstSeenAfterTheSampledStarts_OrdinalsAreTheRanksOfAllIds()
    {
        // Two chunks in thread 0 and one in thread 1; the maps start from the ids of each chunk's first 4,096 events,
        // and some ids appear only later (mid-chunk, and only in the second chunk), so those chunks are renumbered.
        var random = new Random(6000);
        int chunk = TraceColumnBuilder.ChunkSize;
        var first = CleanRows(random, chunk + 9_000, details: false);
        first[chunk - 3] = first[chunk - 3] with { FunctionId = 0x9_0000_0001 };
        first[chunk + 8_500] = first[chunk + 8_500] with { FunctionId = 0x0_0000_0100 };
        var second = CleanRows(random, 5_000, details: false);
        second[4_999] = second[4_999] with { FunctionId = 0x5_0000_0005 };

        var results = BuildThreeWays([Input(first), Input(second)], [first, second]);
        AssertSame(results, "ids first seen late");
        var (columns, error) = results[0];
        Assert.IsNull(error);
        var all = first.Concat(second).Select(r => r.FunctionId).Distinct().Order().ToArray();
        CollectionAssert.AreEqual(all, columns.FunctionIds);
        var rows = first.Concat(second).ToArray();
        for (int i = 0; i < rows.Length; i++)
        {
            if (columns.FunctionIds[columns.FunctionOrdinals[i]] != rows[i].FunctionId)
                Assert.Fail($"event {i}: ordinal {columns.FunctionOrdinals[i]} is not the rank of {rows[i].FunctionId:x}");
        }
    }
}
