using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TraceQuery.Model.Internals;

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

    private struct ChunkStats
    {
        public bool Defective;
        public bool Unsorted;
        public bool DetailNotIncreasing;
        public long DanglingLinks;
        public int FirstDangling;
        public uint FirstDetail;
        public uint LastDetail;
    }

    private sealed class Chunk
    {
        public int ThreadIndex;
        public int SourceStart;
        public int Length;
        public int Destination;
        public uint Checksum;
        public ChunkStats Stats;
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

        void Run(Chunk chunk)
        {
            var input = threads[chunk.ThreadIndex];
            chunk.Map = new FunctionIdMap();
            int d = chunk.Destination;
            if (input.Events.Planned is { } planned)
            {
                // Sorted by construction and without details: written straight into the columns.
                planned.Write(chunk.SourceStart, chunk.Map, timestamps.AsSpan(d, chunk.Length), ordinals.AsSpan(d, chunk.Length),
                    kinds.AsSpan(d, chunk.Length), depths.AsSpan(d, chunk.Length), details.AsSpan(d, chunk.Length),
                    out chunk.Stats.Defective, out chunk.Stats.Unsorted);
                chunk.Stats.FirstDetail = chunk.Stats.LastDetail = TraceEvent.NoDetail;
                return;
            }
            var source = input.Events.Span.Slice(chunk.SourceStart, chunk.Length);
            var crc = input.ExpectedChecksum != 0 ? new Crc32() : null;
            ProcessChunk(source, input.ThreadId, input.DetailRecordCount, chunk.Map, crc,
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
            if (chunk.Stats.Defective)
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
            if (chunk.Stats.DanglingLinks > 0 && input.DetailComplete)
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
                dangling += chunk.Stats.DanglingLinks;
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

    private static void ProcessChunk(
        ReadOnlySpan<TraceEvent> source, uint threadId, uint detailLimit, FunctionIdMap map, Crc32? crc,
        Span<long> timestamps, Span<int> ordinals, Span<byte> kinds, Span<uint> depths, Span<uint> details,
        ref ChunkStats stats)
    {
        // Bounds are proven once here so the loop below runs without checks.
        if (timestamps.Length != source.Length || ordinals.Length != source.Length || kinds.Length != source.Length
            || depths.Length != source.Length || details.Length != source.Length)
            throw new ArgumentException("Column spans must match the source length.");

        ulong defect = 0;
        bool unsorted = false;
        bool detailNotIncreasing = false;
        long dangling = 0;
        int firstDangling = -1;
        uint firstDetail = TraceEvent.NoDetail;
        uint lastDetail = TraceEvent.NoDetail;
        long previous = long.MinValue;
        ref long ts = ref MemoryMarshal.GetReference(timestamps);
        ref int ord = ref MemoryMarshal.GetReference(ordinals);
        ref byte kind = ref MemoryMarshal.GetReference(kinds);
        ref uint depth = ref MemoryMarshal.GetReference(depths);
        ref uint detail = ref MemoryMarshal.GetReference(details);
        ref readonly TraceEvent e0 = ref MemoryMarshal.GetReference(source);

        // Hash a block, then split it while its bytes are still in L2: one trip to memory for both.
        for (int blockStart = 0; blockStart < source.Length; blockStart += ChecksumBlock)
        {
            int blockEnd = Math.Min(source.Length, blockStart + ChecksumBlock);
            crc?.Append(MemoryMarshal.AsBytes(source[blockStart..blockEnd]));
            for (int i = blockStart; i < blockEnd; i++)
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
                {
                    if (d >= detailLimit)
                    {
                        if (dangling++ == 0)
                            firstDangling = i;
                        d = TraceEvent.NoDetail;
                    }
                    else
                    {
                        if (lastDetail != TraceEvent.NoDetail && d <= lastDetail)
                            detailNotIncreasing = true;
                        if (firstDetail == TraceEvent.NoDetail)
                            firstDetail = d;
                        lastDetail = d;
                    }
                }
                Unsafe.Add(ref detail, i) = d;
            }
        }

        stats.Defective = defect != 0;
        stats.Unsorted = unsorted;
        stats.DetailNotIncreasing = detailNotIncreasing;
        stats.DanglingLinks = dangling;
        stats.FirstDangling = firstDangling;
        stats.FirstDetail = firstDetail;
        stats.LastDetail = lastDetail;
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
