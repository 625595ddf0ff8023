using TraceQuery.Formats;

namespace TraceQuery.Fleet;

/// <summary>One trace of a <see cref="TraceSet"/>: its name in answers and lakes, where it is, and its format.</summary>
/// <param name="Name">
/// The trace's name relative to the set's folder, with <c>/</c> between folders (<c>nightly/run-17</c>, <c>app.json</c>);
/// unique within the set. Answers over several traces prefix evidence with <c>trace:&lt;name&gt;</c>.
/// </param>
/// <param name="Path">Full path of the session directory or trace file.</param>
/// <param name="Format">The format its content showed when the set was listed.</param>
/// <param name="Bytes">Size on disk (a session: the sum of its files), for throughput figures.</param>
public sealed record TraceSetEntry(string Name, string Path, TraceFileFormat Format, long Bytes);
