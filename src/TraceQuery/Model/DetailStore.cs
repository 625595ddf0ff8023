namespace TraceQuery.Model;

/// <summary>
/// Where a trace's detail records live (a memory-mapped detail.atf, or memory). Indexed per thread by
/// detail sequence number; lookups are O(1).
/// </summary>
public abstract class DetailStore : IDisposable
{
    /// <summary>Number of complete, readable detail records of the thread at <paramref name="threadIndex"/>.</summary>
    public abstract int GetRecordCount(int threadIndex);

    /// <summary>Reads record <paramref name="detailSeq"/> of a thread; false when it does not exist.</summary>
    public abstract bool TryGetRecord(int threadIndex, uint detailSeq, out DetailRecord record);

    /// <summary>Releases mapped files, if any.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources held by a derived store.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
