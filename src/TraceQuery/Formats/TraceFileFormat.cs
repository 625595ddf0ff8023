namespace TraceQuery.Formats;

/// <summary>The trace formats <see cref="TraceFile.Open"/> recognises by content.</summary>
public enum TraceFileFormat
{
    /// <summary>Not a trace this library reads.</summary>
    Unknown = 0,

    /// <summary>An ATF v2 session directory.</summary>
    Atf,

    /// <summary>Chrome Trace Event Format JSON (object or array form).</summary>
    ChromeJson,

    /// <summary>OpenTelemetry OTLP/JSON traces or logs (one request, or JSON lines).</summary>
    OtlpJson,

    /// <summary>A format read by a reader added with <see cref="TraceFile.Register"/> (e.g. <c>.nettrace</c> from TraceQuery.NetTrace).</summary>
    Registered,
    /// <summary>A V8 CPU profile (<c>.cpuprofile</c>: <c>node --cpu-prof</c>, DevTools), read by <see cref="Chrome.CpuProfileReader"/>.</summary>
    CpuProfileJson,

    /// <summary>A Perfetto protobuf trace (<c>Trace</c> = repeated <c>TracePacket</c>), as Chrome and the Perfetto SDK write it.</summary>
    PerfettoProtobuf,
}
