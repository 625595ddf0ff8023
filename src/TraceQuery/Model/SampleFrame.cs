namespace TraceQuery.Model;

/// <summary>
/// One frame of a sampled stack: the function, where it lives (module, script or assembly) and the line the producer
/// gave. Frames are deduplicated by value in a trace's <see cref="SampleTable"/>, so a stack refers to them by index.
/// </summary>
/// <param name="Function">The function's name as the producer wrote it (<c>loadConfig</c>, <c>System.Text.Json.JsonDocument.Parse</c>, <c>(program)</c>).</param>
/// <param name="Module">The module, script URL or assembly, or null when the producer gave none.</param>
/// <param name="Line">The 1-based line, or 0 when the producer gave none.</param>
/// <param name="Column">The 1-based column, or 0 when the producer gave none.</param>
public readonly record struct SampleFrame(string Function, string? Module = null, int Line = 0, int Column = 0);
