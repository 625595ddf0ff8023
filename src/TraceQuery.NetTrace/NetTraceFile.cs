using TraceQuery.Formats;
using TraceQuery.Model;
using TraceQuery.NetTrace.Internals;

namespace TraceQuery.NetTrace;

/// <summary>
/// Opens .NET's own EventPipe traces (<c>.nettrace</c>, as <c>dotnet-trace collect</c> writes them) as an
/// <see cref="ExecutionTrace"/>: each sample of the sample profiler becomes a stack sample
/// (<see cref="ExecutionTrace.Samples"/>: managed frames resolved from the rundown, weight the sampling interval, the
/// OS thread, <see cref="SampleState.Waiting"/> for a thread in native code — blocked — else
/// <see cref="SampleState.Running"/>), exceptions become
/// exception events with their type and message inside the throwing method, and GC collections, GC pauses and
/// EventSource start/stop pairs become spans on lanes of their own.
/// </summary>
/// <remarks>
/// Reads through Microsoft.Diagnostics.Tracing.TraceEvent, which converts the file to a temporary <c>.etlx</c> (deleted
/// afterwards); that library is neither trimming- nor AOT-safe, which is why this reader is a package of its own.
/// Call <see cref="Register"/> once so that <see cref="TraceFile.Open"/>, trace sets, the server and the MCP tools
/// take <c>.nettrace</c> files too.
/// </remarks>
public static class NetTraceFile
{
    /// <summary>The bytes every <c>.nettrace</c> file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "Nettrace"u8;

    /// <summary>The reader <see cref="Register"/> adds to <see cref="TraceFile"/>.</summary>
    public static TraceFileReader Reader { get; } = new(".nettrace (EventPipe)", ".nettrace", Magic, path => Open(path));

    /// <summary>Adds <see cref="Reader"/> to <see cref="TraceFile"/>; calling it again is harmless.</summary>
    public static void Register() => TraceFile.Register(Reader);

    /// <summary>Reads a <c>.nettrace</c> file into a trace (see the type's summary for the mapping).</summary>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    /// <exception cref="TraceFormatException">The file is not a <c>.nettrace</c> or is damaged; the message says what TraceEvent found.</exception>
    public static ExecutionTrace Open(string path, NetTraceReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"No .nettrace file at {full}.", full);
        return NetTraceConverter.Convert(full, options ?? NetTraceReadOptions.Default);
    }
}
