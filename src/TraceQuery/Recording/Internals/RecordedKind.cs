namespace TraceQuery.Recording.Internals;

/// <summary>What a ring entry records.</summary>
internal enum RecordedKind : byte
{
    /// <summary>A slot never written.</summary>
    None = 0,

    /// <summary>An activity started (becomes a CALL).</summary>
    Start = 1,

    /// <summary>An activity stopped (becomes a RETURN; carries the start too, in case the start was overwritten).</summary>
    Stop = 2,

    /// <summary>An <c>exception</c> event of an activity (becomes an EXCEPTION).</summary>
    Exception = 3,
}
