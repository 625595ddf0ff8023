using TraceQuery.Model.Internals;

namespace TraceQuery.Model;

public sealed partial class ExecutionTrace
{
    private CallSpans? _spans;

    /// <summary>
    /// The trace's call spans (CALL paired with RETURN or unwinding EXCEPTION), built on first use and
    /// cached. Thread-safe; O(events) once.
    /// </summary>
    public CallSpans Spans => Volatile.Read(ref _spans) ?? BuiltOnce.Publish(ref _spans, CallSpans.Build(this));
}
