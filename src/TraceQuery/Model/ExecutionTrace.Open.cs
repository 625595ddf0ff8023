namespace TraceQuery.Model;

public sealed partial class ExecutionTrace
{
    /// <summary>
    /// Opens a trace of any supported format, chosen by content: an ATF session directory, Chrome Trace Event
    /// JSON, or OTLP/JSON. Same as <see cref="Formats.TraceFile.Open"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing exists at the path.</exception>
    /// <exception cref="Formats.TraceFormatException">The content is not a supported trace, or is damaged.</exception>
    public static ExecutionTrace Open(string path) => Formats.TraceFile.Open(path);
}
