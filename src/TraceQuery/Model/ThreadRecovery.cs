namespace TraceQuery.Model;

/// <summary>
/// What a reader recovered for one thread (ATF.md: a killed tracer leaves files without footers, cut at
/// 4 KiB boundaries, detail files cut mid-record, and dangling detail links).
/// </summary>
public sealed record ThreadRecovery
{
    /// <summary>A thread whose files were complete and needed nothing.</summary>
    public static ThreadRecovery Clean { get; } = new();

    /// <summary>True when the index file had its footer (the thread was finalized).</summary>
    public bool IndexFinalized { get; init; } = true;

    /// <summary>True when the index file existed but was 0 bytes long (not even a header reached the disk).</summary>
    public bool IndexEmptyFile { get; init; }

    /// <summary>True when a detail file exists and had its footer; false when it was cut or is absent.</summary>
    public bool DetailFinalized { get; init; }

    /// <summary>Events kept from an index file without a footer (0 when the file was finalized).</summary>
    public long EventsRecovered { get; init; }

    /// <summary>Trailing bytes of the index file that did not form a whole event.</summary>
    public long IndexBytesIgnored { get; init; }

    /// <summary>Bytes of a detail file after its last complete record (a record cut mid-way).</summary>
    public long DetailBytesIgnored { get; init; }

    /// <summary>Events whose <c>detail_seq</c> pointed past the last complete detail record; they now read as "no detail".</summary>
    public long DetailLinksDropped { get; init; }

    /// <summary>Events written twice by the tracer (same detail record) that were counted once.</summary>
    public long DuplicatesRemoved { get; init; }

    /// <summary>True when the thread's timestamps were not in order on disk and events were sorted (stably) by time.</summary>
    public bool Reordered { get; init; }

    /// <summary>
    /// Spans of this thread whose parent span is not in the file (an OTLP export of part of a trace): shown as roots,
    /// so the thread's call tree is not complete.
    /// </summary>
    public long SpansWithMissingParent { get; init; }

    /// <summary>True when nothing had to be recovered, dropped or reordered.</summary>
    public bool IsClean =>
        IndexFinalized && !IndexEmptyFile && IndexBytesIgnored == 0 && DetailBytesIgnored == 0
        && DetailLinksDropped == 0 && DuplicatesRemoved == 0 && !Reordered;

    /// <summary>True when the thread is <see cref="IsClean"/> and every span's parent is in the file (its call tree is whole).</summary>
    public bool IsComplete => IsClean && SpansWithMissingParent == 0;
}
