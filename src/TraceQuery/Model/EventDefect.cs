namespace TraceQuery.Model;

/// <summary>What is wrong with an event the column pass refuses (<see cref="ColumnBuildError"/>); each source words it in its own terms.</summary>
internal enum EventDefect
{
    None,
    InvalidKind,
    ThreadIdMismatch,
    TimestampOutOfRange,
    DetailSeqOutOfRange,
    ChecksumMismatch,
}
