namespace TraceQuery.Recording.Internals;

/// <summary>What a snapshot could not show, for its warnings.</summary>
/// <param name="Written">Events recorded since the start.</param>
/// <param name="Overwritten">Events older than the ring's window.</param>
/// <param name="Unreadable">Events in the window that were being written, were dropped on a contended slot, or were overwritten during the copy.</param>
/// <param name="Folded">Activities recorded under an <c>(other)</c> function.</param>
/// <param name="MaxFunctions">The function limit.</param>
/// <param name="Capacity">The ring's capacity.</param>
internal readonly record struct RecordingDrops(long Written, long Overwritten, long Unreadable, long Folded, int MaxFunctions, int Capacity);
