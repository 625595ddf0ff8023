using TraceQuery.Model;

namespace TraceQuery.Formats.Atf;

/// <summary>Detail records of an ATF session, served from the mapped detail files.</summary>
internal sealed class AtfDetailStore(AtfDetailFile?[] files) : DetailStore
{
    public override int GetRecordCount(int threadIndex) =>
        (uint)threadIndex < (uint)files.Length ? files[threadIndex]?.RecordCount ?? 0 : 0;

    public override bool TryGetRecord(int threadIndex, uint detailSeq, out DetailRecord record)
    {
        if ((uint)threadIndex < (uint)files.Length && files[threadIndex] is { } file)
            return file.TryGetRecord(detailSeq, out record);
        record = null!;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var file in files)
            file?.Dispose();
    }
}
