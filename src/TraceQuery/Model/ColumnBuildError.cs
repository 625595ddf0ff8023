namespace TraceQuery.Model;

/// <summary>The first event of a thread that no real writer would produce (or, for a checksum mismatch, the hash found).</summary>
internal readonly record struct ColumnBuildError(int ThreadIndex, int Position, EventDefect Defect, TraceEvent Event, uint ActualChecksum = 0);
