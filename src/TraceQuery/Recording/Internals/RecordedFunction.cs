namespace TraceQuery.Recording.Internals;

/// <summary>A function the recorder registered: an activity name within an activity source.</summary>
/// <param name="SourceName">The <see cref="System.Diagnostics.ActivitySource"/> name (the module).</param>
/// <param name="Name">The activity's operation or display name.</param>
/// <param name="FunctionId"><c>(module_id &lt;&lt; 32) | symbol_index</c>, stable for the pair.</param>
internal sealed record RecordedFunction(string SourceName, string Name, ulong FunctionId);
