using TraceQuery.Model;
using TraceQuery.Recording.Internals;

namespace TraceQuery.Recording;

public sealed partial class TraceRecorder
{
    /// <summary>
    /// Copies what the ring holds now into a new <see cref="ExecutionTrace"/> (source format <c>activity</c>): one span
    /// per activity, on the thread that started it, named <c>(source) name</c> with the source as module.
    /// Drops (overwritten or contended events), spans shown from their stop event alone and folded names
    /// are reported in <see cref="TraceMetadata.Warnings"/>. Recording goes on meanwhile; events written
    /// during the copy may be left out. O(capacity); allocates the trace.
    /// </summary>
    public ExecutionTrace Snapshot()
    {
        long written = _ring.Written;
        long first = Math.Max(0, written - _ring.Capacity);
        var entries = new List<RecordedEvent>((int)(written - first));
        for (long sequence = first; sequence < written; sequence++)
        {
            if (_ring.TryRead(sequence, out var entry))
                entries.Add(entry);
        }
        // Read the tables after the ring, so that every function and thread an entry names is in them.
        var functions = _functions.ToArray();
        var threadNames = new Dictionary<int, string?>(_threadNames);
        var drops = new RecordingDrops(written, first, written - first - entries.Count, _functions.Folded, Options.MaxFunctions, Capacity);
        return SnapshotAssembler.Build(entries, functions, threadNames, drops);
    }
}
