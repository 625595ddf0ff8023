namespace TraceQuery.Model;

/// <summary>A detail store held in managed memory (generated traces, builders, other formats).</summary>
public sealed class InMemoryDetailStore : DetailStore
{
    private readonly DetailRecord[][] _records;

    /// <summary>Creates a store from per-thread record lists (index = thread index, position = detail seq).</summary>
    public InMemoryDetailStore(IReadOnlyList<IReadOnlyList<DetailRecord>> recordsByThread)
    {
        ArgumentNullException.ThrowIfNull(recordsByThread);
        _records = new DetailRecord[recordsByThread.Count][];
        for (int i = 0; i < _records.Length; i++)
            _records[i] = [.. recordsByThread[i]];
    }

    /// <inheritdoc />
    public override int GetRecordCount(int threadIndex) =>
        (uint)threadIndex < (uint)_records.Length ? _records[threadIndex].Length : 0;

    /// <inheritdoc />
    public override bool TryGetRecord(int threadIndex, uint detailSeq, out DetailRecord record)
    {
        if ((uint)threadIndex < (uint)_records.Length && detailSeq < (uint)_records[threadIndex].Length)
        {
            record = _records[threadIndex][detailSeq];
            return true;
        }
        record = null!;
        return false;
    }
}
