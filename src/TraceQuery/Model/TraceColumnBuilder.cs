using System.Buffers;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TraceQuery.Model.Internals;
using TraceQuery.Vectorized;

namespace TraceQuery.Model;

/// <summary>
/// Turns per-thread event arrays (ATF's row layout) into the trace's columns in one pass: validates
/// kinds, thread ids and detail links, maps 64-bit function ids to dense ordinals, and repairs what real
/// tracers produce (unsorted runs, events written twice). Large inputs are split into chunks processed in
/// parallel; the result does not depend on the split.
/// </summary>
internal static class TraceColumnBuilder
{
    internal const int ChunkSize = 1 << 20;

    /// <summary>Events hashed, then split, at a time: 512 KiB, so the split reads what the hash left in L2.</summary>
    private const int ChecksumBlock = 1 << 14;

    private sealed class Chunk
    {
        public int ThreadIndex;
        public int SourceStart;
        public int Length;
        public int Destination;
        public uint Checksum;
        public PassState Stats;
        public FunctionIdMap Map = null!;
    }

    public static BuiltColumns Build(IReadOnlyList<ThreadInput> threads, out ColumnBuildError? error)
    {
        error = null;
        long total = 0;
        foreach (var thread in threads)
            total += thread.Events.Length;
        if (total > Array.MaxLength)
            throw new InvalidOperationException($"The trace holds {total:N0} events; at most {Array.MaxLength:N0} can be loaded at once.");
        int count = (int)total;

        var timestamps = GC.AllocateUninitializedArray<long>(count);
        var ordinals = GC.AllocateUninitializedArray<int>(count);
        var kinds = GC.AllocateUninitializedArray<byte>(count);
        var depths = GC.AllocateUninitializedArray<uint>(count);
        var details = GC.AllocateUninitializedArray<uint>(count);

        var chunks = new List<Chunk>();
        int destination = 0;
        for (int t = 0; t < threads.Count; t++)
        {
            int length = threads[t].Events.Length;
            for (int start = 0; start < length; start += ChunkSize)
            {
                chunks.Add(new Chunk
                {
                    ThreadIndex = t,
                    SourceStart = start,
                    Length = Math.Min(ChunkSize, length - start),
                    Destination = destination + start,
                });
            }
            destination += length;
        }

        // Every chunk's map starts with the ids seen at the start of every chunk, in ascending order: when no chunk meets
        // another id (the usual case) the local ordinals are already the global ones and no chunk is renumbered after.
        var seed = SampleFunctionIds(threads, chunks);

        void Run(Chunk chunk)
        {
            var input = threads[chunk.ThreadIndex];
            chunk.Map = new FunctionIdMap(Math.Max(1024, seed.Length));
            foreach (ulong id in seed)
                chunk.Map.GetOrAdd(id);
            int d = chunk.Destination;
            if (input.Events.Planned is { } planned)
            {
                // Sorted by construction and without details: written straight into the columns.
                planned.Write(chunk.SourceStart, chunk.Map, timestamps.AsSpan(d, chunk.Length), ordinals.AsSpan(d, chunk.Length),
                    kinds.AsSpan(d, chunk.Length), depths.AsSpan(d, chunk.Length), details.AsSpan(d, chunk.Length),
                    out bool defective, out chunk.Stats.Unsorted);
                chunk.Stats.Defect = defective ? 1UL : 0UL;
                chunk.Stats.FirstDetail = chunk.Stats.LastDetail = TraceEvent.NoDetail;
                return;
            }
            var crc = input.ExpectedChecksum != 0 ? new Crc32() : null;
            ProcessChunk(input.Events, chunk.SourceStart, chunk.Length, input.ThreadId, input.DetailRecordCount, chunk.Map, crc,
                timestamps.AsSpan(d, chunk.Length), ordinals.AsSpan(d, chunk.Length), kinds.AsSpan(d, chunk.Length),
                depths.AsSpan(d, chunk.Length), details.AsSpan(d, chunk.Length), ref chunk.Stats);
            chunk.Checksum = crc?.GetCurrentHashAsUInt32() ?? 0;
        }

        if (chunks.Count > 1)
            Parallel.ForEach(chunks, Run);
        else
            foreach (var chunk in chunks)
                Run(chunk);

        // A damaged file is reported as such before anything it contains.
        for (int t = 0, c = 0; t < threads.Count; t++)
        {
            uint actual = 0;
            for (int first = c; c < chunks.Count && chunks[c].ThreadIndex == t; c++)
                actual = c == first ? chunks[c].Checksum : Crc32Combine.Combine(actual, chunks[c].Checksum, (long)chunks[c].Length * TraceEvent.Size);
            uint expected = threads[t].ExpectedChecksum;
            if (expected != 0 && actual != expected)
            {
                error = new ColumnBuildError(t, 0, EventDefect.ChecksumMismatch, default, actual);
                return Empty(threads);
            }
        }

        // Report the first defect in thread order, then position order.
        foreach (var chunk in chunks)
        {
            var input = threads[chunk.ThreadIndex];
            if (chunk.Stats.Defect != 0)
            {
                for (int i = chunk.SourceStart; i < chunk.SourceStart + chunk.Length; i++)
                {
                    var row = input.Events.At(i);
                    var defect = Classify(row, input.ThreadId);
                    if (defect != EventDefect.None)
                    {
                        error = new ColumnBuildError(chunk.ThreadIndex, i, defect, row);
                        return Empty(threads);
                    }
                }
            }
            if (chunk.Stats.Dangling > 0 && input.DetailComplete)
            {
                int position = chunk.SourceStart + chunk.Stats.FirstDangling;
                error = new ColumnBuildError(chunk.ThreadIndex, position, EventDefect.DetailSeqOutOfRange, input.Events.At(position));
                return Empty(threads);
            }
        }

        // Global ordinals: distinct ids sorted ascending, so ordinals do not depend on event order or chunking.
        var functionIds = MergeFunctionIds(chunks, ordinals);

        // Per-thread stats, across chunk seams.
        var threadInfos = new TraceThread[threads.Count];
        var sequenceMaps = new int[]?[threads.Count];
        int write = 0;
        int chunkIndex = 0;
        int read = 0;
        for (int t = 0; t < threads.Count; t++)
        {
            var input = threads[t];
            int length = input.Events.Length;
            bool unsorted = false, detailNotIncreasing = false;
            long dangling = 0;
            uint previousLastDetail = TraceEvent.NoDetail;
            for (; chunkIndex < chunks.Count && chunks[chunkIndex].ThreadIndex == t; chunkIndex++)
            {
                var chunk = chunks[chunkIndex];
                unsorted |= chunk.Stats.Unsorted;
                detailNotIncreasing |= chunk.Stats.DetailNotIncreasing;
                dangling += chunk.Stats.Dangling;
                if (chunk.SourceStart > 0 && timestamps[chunk.Destination] < timestamps[chunk.Destination - 1])
                    unsorted = true;
                if (chunk.Stats.FirstDetail != TraceEvent.NoDetail)
                {
                    if (previousLastDetail != TraceEvent.NoDetail && chunk.Stats.FirstDetail <= previousLastDetail)
                        detailNotIncreasing = true;
                    previousLastDetail = chunk.Stats.LastDetail;
                }
            }

            int kept = length;
            long duplicates = 0;
            if (unsorted || detailNotIncreasing)
            {
                (kept, sequenceMaps[t]) = Repair(read, length, timestamps, ordinals, kinds, depths, details);
                duplicates = length - kept;
            }
            if (write != read)
            {
                Array.Copy(timestamps, read, timestamps, write, kept);
                Array.Copy(ordinals, read, ordinals, write, kept);
                Array.Copy(kinds, read, kinds, write, kept);
                Array.Copy(depths, read, depths, write, kept);
                Array.Copy(details, read, details, write, kept);
            }

            var recovery = input.Recovery;
            if (dangling > 0 || duplicates > 0 || unsorted)
                recovery = recovery with { DetailLinksDropped = dangling, DuplicatesRemoved = duplicates, Reordered = unsorted };
            threadInfos[t] = new TraceThread(
                t, input.ThreadId, write, kept,
                kept == 0 ? 0 : timestamps[write], kept == 0 ? 0 : timestamps[write + kept - 1],
                (int)input.DetailRecordCount, recovery, input.Name)
            {
                ProcessId = input.Info?.ProcessId,
                ProcessName = input.Info?.ProcessName,
                OriginalThreadId = input.Info?.OriginalThreadId,
                Track = input.Info?.Track ?? SpanTrack.Thread,
            };
            read += length;
            write += kept;
        }

        return new BuiltColumns
        {
            Timestamps = timestamps,
            FunctionOrdinals = ordinals,
            Kinds = kinds,
            Depths = depths,
            DetailSeqs = details,
            Count = write,
            FunctionIds = functionIds,
            Threads = threadInfos,
            SequenceMaps = sequenceMaps,
        };
    }

    /// <summary>Events read from the start of each chunk to find the function ids the maps start with.</summary>
    private const int SampleSize = 1 << 12;

    /// <summary>The distinct function ids of the first <see cref="SampleSize"/> events of every chunk, ascending.</summary>
    private static ulong[] SampleFunctionIds(IReadOnlyList<ThreadInput> threads, List<Chunk> chunks)
    {
        var ids = new HashSet<ulong>();
        var buffer = new TraceEvent[SampleSize];
        foreach (var chunk in chunks)
        {
            var sample = buffer.AsSpan(0, Math.Min(SampleSize, chunk.Length));
            threads[chunk.ThreadIndex].Events.Read(chunk.SourceStart, sample);
            foreach (ref readonly var e in sample)
                ids.Add(e.FunctionId);
        }
        var sorted = ids.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private static BuiltColumns Empty(IReadOnlyList<ThreadInput> threads) => new()
    {
        Timestamps = [],
        FunctionOrdinals = [],
        Kinds = [],
        Depths = [],
        DetailSeqs = [],
        Count = 0,
        FunctionIds = [],
        Threads = [],
        SequenceMaps = new int[]?[threads.Count],
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static EventDefect Classify(in TraceEvent e, uint threadId)
    {
        if ((uint)e.Kind - 1 > 2)
            return EventDefect.InvalidKind;
        if (e.ThreadId != threadId)
            return EventDefect.ThreadIdMismatch;
        if (e.TimestampNs > long.MaxValue)
            return EventDefect.TimestampOutOfRange;
        return EventDefect.None;
    }

    /// <summary>What the pass over one chunk carries from block to block, and what it found.</summary>
    private struct PassState
    {
        public ulong Defect;
        public bool Unsorted;
        public bool DetailNotIncreasing;
        public long Previous;
        public long Dangling;
        public int FirstDangling;
        public uint FirstDetail;
        public uint LastDetail;

        public static PassState Start => new()
        {
            Previous = long.MinValue,
            FirstDangling = -1,
            FirstDetail = TraceEvent.NoDetail,
            LastDetail = TraceEvent.NoDetail,
        };
    }

    /// <summary>The rows of one chunk into its slice of the columns, block by block (in memory, or read from the file).</summary>
    private static void ProcessChunk(
        ThreadEventRows rows, int sourceStart, int length, uint threadId, uint detailLimit, FunctionIdMap map, Crc32? crc,
        Span<long> timestamps, Span<int> ordinals, Span<byte> kinds, Span<uint> depths, Span<uint> details,
        ref PassState stats)
    {
        // Bounds are proven once here so the loops below run without checks.
        if (timestamps.Length != length || ordinals.Length != length || kinds.Length != length
            || depths.Length != length || details.Length != length)
            throw new ArgumentException("Column spans must match the source length.");

        var state = PassState.Start;
        bool vector = UseVectorPass;
        if (!rows.InFile)
        {
            var source = rows.Span.Slice(sourceStart, length);
            // Hash a block, then split it while its bytes are still in L2: one trip to memory for both.
            for (int blockStart = 0; blockStart < length; blockStart += ChecksumBlock)
            {
                int blockLength = Math.Min(ChecksumBlock, length - blockStart);
                ProcessBlock(source.Slice(blockStart, blockLength), blockStart, threadId, detailLimit, map, crc, vector,
                    timestamps, ordinals, kinds, depths, details, ref state);
            }
        }
        else
        {
            // Read calls: each block is read into a pooled buffer that stays in L2 while it is hashed and split.
            var buffer = ArrayPool<TraceEvent>.Shared.Rent(ChecksumBlock);
            try
            {
                for (int blockStart = 0; blockStart < length; blockStart += ChecksumBlock)
                {
                    int blockLength = Math.Min(ChecksumBlock, length - blockStart);
                    var block = buffer.AsSpan(0, blockLength);
                    rows.Read(sourceStart + blockStart, block);
                    ProcessBlock(block, blockStart, threadId, detailLimit, map, crc, vector,
                        timestamps, ordinals, kinds, depths, details, ref state);
                }
            }
            finally
            {
                ArrayPool<TraceEvent>.Shared.Return(buffer);
            }
        }
        stats = state;
    }

    /// <summary>True when the column pass takes its AVX2 body (else the scalar twin): see <see cref="KernelDispatch"/>.</summary>
    internal static bool UseVectorPass => Avx2.IsSupported && KernelDispatch.UseVector256<ulong>();

    private static void ProcessBlock(
        ReadOnlySpan<TraceEvent> block, int at, uint threadId, uint detailLimit, FunctionIdMap map, Crc32? crc, bool vector,
        Span<long> timestamps, Span<int> ordinals, Span<byte> kinds, Span<uint> depths, Span<uint> details,
        ref PassState state)
    {
        crc?.Append(MemoryMarshal.AsBytes(block));
        ref readonly TraceEvent e0 = ref MemoryMarshal.GetReference(block);
        ref long ts = ref Unsafe.Add(ref MemoryMarshal.GetReference(timestamps), at);
        ref int ord = ref Unsafe.Add(ref MemoryMarshal.GetReference(ordinals), at);
        ref byte kind = ref Unsafe.Add(ref MemoryMarshal.GetReference(kinds), at);
        ref uint depth = ref Unsafe.Add(ref MemoryMarshal.GetReference(depths), at);
        ref uint detail = ref Unsafe.Add(ref MemoryMarshal.GetReference(details), at);
        int done = vector
            ? SplitVector(in e0, block.Length, at, threadId, detailLimit, map, ref ts, ref ord, ref kind, ref depth, ref detail, ref state)
            : 0;
        SplitScalar(in e0, done, block.Length, at, threadId, detailLimit, map, ref ts, ref ord, ref kind, ref depth, ref detail, ref state);
    }

    /// <summary>The scalar twin: rows <c>[from, to)</c> of a block into the columns, one event at a time.</summary>
    private static void SplitScalar(
        ref readonly TraceEvent e0, int from, int to, int at, uint threadId, uint detailLimit, FunctionIdMap map,
        ref long ts, ref int ord, ref byte kind, ref uint depth, ref uint detail, ref PassState state)
    {
        ulong defect = 0;
        bool unsorted = false;
        long previous = state.Previous;
        for (int i = from; i < to; i++)
        {
            ref readonly TraceEvent e = ref Unsafe.Add(ref Unsafe.AsRef(in e0), i);
            ulong time = e.TimestampNs;
            uint k = (uint)e.Kind;
            defect |= (time >> 63) | (k - 1 > 2 ? 1UL : 0UL) | (e.ThreadId != threadId ? 1UL : 0UL);
            long t = (long)time;
            unsorted |= t < previous;
            previous = t;
            Unsafe.Add(ref ts, i) = t;
            Unsafe.Add(ref kind, i) = (byte)k;
            Unsafe.Add(ref depth, i) = e.CallDepth;
            Unsafe.Add(ref ord, i) = map.GetOrAdd(e.FunctionId);
            uint d = e.DetailSeq;
            if (d != TraceEvent.NoDetail)
                d = CheckDetail(d, at + i, detailLimit, ref state);
            Unsafe.Add(ref detail, i) = d;
        }
        state.Defect |= defect;
        state.Unsorted |= unsorted;
        state.Previous = previous;
    }

    /// <summary>A detail link checked against the thread's records: the link kept, or <see cref="TraceEvent.NoDetail"/> when it dangles.</summary>
    private static uint CheckDetail(uint d, int position, uint detailLimit, ref PassState state)
    {
        if (d >= detailLimit)
        {
            if (state.Dangling++ == 0)
                state.FirstDangling = position;
            return TraceEvent.NoDetail;
        }
        if (state.LastDetail != TraceEvent.NoDetail && d <= state.LastDetail)
            state.DetailNotIncreasing = true;
        if (state.FirstDetail == TraceEvent.NoDetail)
            state.FirstDetail = d;
        state.LastDetail = d;
        return d;
    }

    /// <summary>
    /// The AVX2 body: eight rows at a time are transposed into the columns with in-register shuffles; kinds, thread ids,
    /// timestamp range and order are checked eight lanes at once. Function ids go through the map one by one, and a
    /// group with any detail link checks its links in order (<see cref="CheckDetail"/>). Returns the rows done (a
    /// multiple of eight); the scalar twin does the rest, so both give the same columns and the same state.
    /// </summary>
    private static int SplitVector(
        ref readonly TraceEvent e0, int length, int at, uint threadId, uint detailLimit, FunctionIdMap map,
        ref long ts, ref int ord, ref byte kind, ref uint depth, ref uint detail, ref PassState state)
    {
        // Lanes of a (thread id, kind) pair as uints: thread ids in even lanes, kinds in odd lanes.
        var idMask = Vector256.Create(threadId, 0u, threadId, 0u, threadId, 0u, threadId, 0u);
        var kindBase = Vector256.Create(0u, 1u, 0u, 1u, 0u, 1u, 0u, 1u);
        var kindLimit = Vector256.Create(0u, 2u, 0u, 2u, 0u, 2u, 0u, 2u);
        var oddLanes = Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7);
        var splitPairs = Vector256.Create(0u, 2u, 4u, 6u, 1u, 3u, 5u, 7u);
        var lowBytes = Vector256.Create(
            (byte)0, 4, 8, 12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
            0, 4, 8, 12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
        var bad = Vector256<uint>.Zero;
        var timeBits = Vector256<long>.Zero;
        var disorder = Vector256<long>.Zero;
        var carry = Vector256.Create(state.Previous); // lane 0: the timestamp before this group
        ref byte source = ref Unsafe.As<TraceEvent, byte>(ref Unsafe.AsRef(in e0));
        int i = 0;
        for (; i + 8 <= length; i += 8)
        {
            ref byte row = ref Unsafe.Add(ref source, (nint)i * TraceEvent.Size);
            Transpose(ref row, out var timeA, out var pairA, out var depthDetailA);
            Transpose(ref Unsafe.Add(ref row, 4 * TraceEvent.Size), out var timeB, out var pairB, out var depthDetailB);

            bad |= Vector256.GreaterThan((pairA.AsUInt32() ^ idMask) - kindBase, kindLimit);
            bad |= Vector256.GreaterThan((pairB.AsUInt32() ^ idMask) - kindBase, kindLimit);
            timeBits |= timeA | timeB;
            // Each timestamp against the one before it: the lanes rotated by one, lane 0 from the previous four.
            var rotatedA = Avx2.Permute4x64(timeA, 0b10_01_00_11);
            var rotatedB = Avx2.Permute4x64(timeB, 0b10_01_00_11);
            var beforeA = Avx2.Blend(rotatedA.AsInt32(), carry.AsInt32(), 0b0000_0011).AsInt64();
            var beforeB = Avx2.Blend(rotatedB.AsInt32(), rotatedA.AsInt32(), 0b0000_0011).AsInt64();
            carry = rotatedB;
            disorder |= Avx2.CompareGreaterThan(beforeA, timeA) | Avx2.CompareGreaterThan(beforeB, timeB);
            timeA.StoreUnsafe(ref ts, (nuint)i);
            timeB.StoreUnsafe(ref ts, (nuint)i + 4);

            var kindsA = Avx2.PermuteVar8x32(pairA.AsInt32(), oddLanes);
            var kindsB = Avx2.PermuteVar8x32(pairB.AsInt32(), oddLanes);
            var kindBytes = Avx2.Shuffle(Avx2.Blend(kindsA, kindsB, 0b1111_0000).AsByte(), lowBytes).AsUInt32();
            ulong packed = kindBytes.GetElement(0) | ((ulong)kindBytes.GetElement(4) << 32);
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref kind, i), packed);

            var splitA = Avx2.PermuteVar8x32(depthDetailA.AsUInt32(), splitPairs);
            var splitB = Avx2.PermuteVar8x32(depthDetailB.AsUInt32(), splitPairs);
            splitA.GetLower().StoreUnsafe(ref depth, (nuint)i);
            splitB.GetLower().StoreUnsafe(ref depth, (nuint)i + 4);
            var linksA = splitA.GetUpper();
            var linksB = splitB.GetUpper();
            if ((linksA & linksB) == Vector128<uint>.AllBitsSet)
            {
                linksA.StoreUnsafe(ref detail, (nuint)i);
                linksB.StoreUnsafe(ref detail, (nuint)i + 4);
            }
            else
            {
                for (int j = i; j < i + 8; j++)
                {
                    uint d = Unsafe.Add(ref Unsafe.AsRef(in e0), j).DetailSeq;
                    Unsafe.Add(ref detail, j) = d == TraceEvent.NoDetail ? d : CheckDetail(d, at + j, detailLimit, ref state);
                }
            }

            for (int j = i; j < i + 8; j++)
                Unsafe.Add(ref ord, j) = map.GetOrAdd(Unsafe.Add(ref Unsafe.AsRef(in e0), j).FunctionId);
        }
        if (i == 0)
            return 0;
        if (bad != Vector256<uint>.Zero || timeBits.ExtractMostSignificantBits() != 0)
            state.Defect = 1;
        if (disorder != Vector256<long>.Zero)
            state.Unsorted = true;
        state.Previous = carry.GetElement(0);
        return i;
    }

    /// <summary>
    /// Four 32-byte rows into their timestamps, (thread id, kind) pairs and (depth, detail) pairs, one 64-bit lane per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(ref byte rows, out Vector256<long> times, out Vector256<ulong> threadKinds, out Vector256<ulong> depthDetails)
    {
        var r0 = Vector256.LoadUnsafe(ref rows).AsUInt64();
        var r1 = Vector256.LoadUnsafe(ref rows, 32).AsUInt64();
        var r2 = Vector256.LoadUnsafe(ref rows, 64).AsUInt64();
        var r3 = Vector256.LoadUnsafe(ref rows, 96).AsUInt64();
        var low01 = Avx2.UnpackLow(r0, r1);   // t0 t1 | tk0 tk1
        var low23 = Avx2.UnpackLow(r2, r3);   // t2 t3 | tk2 tk3
        var high01 = Avx2.UnpackHigh(r0, r1); // f0 f1 | dd0 dd1
        var high23 = Avx2.UnpackHigh(r2, r3); // f2 f3 | dd2 dd3
        times = Avx2.Permute2x128(low01, low23, 0x20).AsInt64();
        threadKinds = Avx2.Permute2x128(low01, low23, 0x31);
        depthDetails = Avx2.Permute2x128(high01, high23, 0x31);
    }

    private static ulong[] MergeFunctionIds(List<Chunk> chunks, int[] ordinals)
    {
        var all = new HashSet<ulong>();
        foreach (var chunk in chunks)
            foreach (ulong id in chunk.Map.Ids)
                all.Add(id);
        var functionIds = all.ToArray();
        Array.Sort(functionIds);

        void Remap(Chunk chunk)
        {
            var local = chunk.Map.Ids;
            var remap = new int[local.Count];
            bool identity = true;
            for (int i = 0; i < remap.Length; i++)
            {
                remap[i] = Array.BinarySearch(functionIds, local[i]);
                identity &= remap[i] == i;
            }
            if (identity)
                return;
            var span = ordinals.AsSpan(chunk.Destination, chunk.Length);
            for (int i = 0; i < span.Length; i++)
                span[i] = remap[span[i]];
        }

        if (chunks.Count > 1)
            Parallel.ForEach(chunks, Remap);
        else
            foreach (var chunk in chunks)
                Remap(chunk);
        return functionIds;
    }

    /// <summary>
    /// Sorts one thread's events stably by time and drops events the tracer wrote twice (two events
    /// linking the same detail record: the first in file order is kept). Returns the number kept and the
    /// original sequence number of each kept event.
    /// </summary>
    private static (int Kept, int[] SequenceMap) Repair(
        int start, int length, long[] timestamps, int[] ordinals, byte[] kinds, uint[] depths, uint[] details)
    {
        var order = new int[length];
        for (int i = 0; i < length; i++)
            order[i] = i;
        var keys = timestamps.AsSpan(start, length).ToArray();
        // Sort by (timestamp, position): stable by construction.
        Array.Sort(order, (a, b) =>
        {
            int c = keys[a].CompareTo(keys[b]);
            return c != 0 ? c : a.CompareTo(b);
        });

        var firstPosition = new Dictionary<uint, int>();
        for (int i = 0; i < length; i++)
        {
            uint d = details[start + i];
            if (d != TraceEvent.NoDetail)
                firstPosition.TryAdd(d, i);
        }

        var ts = keys;
        var ord = ordinals.AsSpan(start, length).ToArray();
        var kd = kinds.AsSpan(start, length).ToArray();
        var dp = depths.AsSpan(start, length).ToArray();
        var dt = details.AsSpan(start, length).ToArray();
        var map = new List<int>(length);
        int kept = 0;
        foreach (int position in order)
        {
            uint d = dt[position];
            if (d != TraceEvent.NoDetail && firstPosition[d] != position)
                continue;
            timestamps[start + kept] = ts[position];
            ordinals[start + kept] = ord[position];
            kinds[start + kept] = kd[position];
            depths[start + kept] = dp[position];
            details[start + kept] = d;
            map.Add(position);
            kept++;
        }
        return (kept, map.ToArray());
    }
}
