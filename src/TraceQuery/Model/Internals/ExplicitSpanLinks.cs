namespace TraceQuery.Model.Internals;

/// <summary>
/// The pairing a span-based source states itself (<see cref="TraceBuilder.AddSpan"/>): per event, for a CALL
/// the index of its parent's CALL (same thread, earlier) or -1; for a RETURN or EXCEPTION the index of its own
/// span's CALL. Only threads flagged in <see cref="ThreadIsExplicit"/> use it; the others pair by depth.
/// </summary>
internal sealed class ExplicitSpanLinks(int[] links, bool[] threadIsExplicit)
{
    /// <summary>Per event (global index), the linked event, or -1.</summary>
    public int[] Links { get; } = links;

    /// <summary>Per thread index, true when its events came from spans.</summary>
    public bool[] ThreadIsExplicit { get; } = threadIsExplicit;
}
