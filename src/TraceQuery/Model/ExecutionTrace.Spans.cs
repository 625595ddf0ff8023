namespace TraceQuery.Model;

public sealed partial class ExecutionTrace
{
    private CallSpans? _spans;

    /// <summary>
    /// The trace's call spans (CALL paired with RETURN or unwinding EXCEPTION), built on first use and
    /// cached. Thread-safe; O(events) once.
    /// </summary>
    public CallSpans Spans
    {
        get
        {
            var spans = Volatile.Read(ref _spans);
            if (spans is not null)
                return spans;
            spans = CallSpans.Build(this);
            return Interlocked.CompareExchange(ref _spans, spans, null) ?? spans;
        }
    }
}
