using TraceQuery.Model;

namespace TraceQuery.Filtering.Internals;

/// <summary>The columns a plan reads, taken once per chunk.</summary>
internal readonly ref struct EvaluationContext(ExecutionTrace trace)
{
    /// <summary>The event kinds (<see cref="EventKind"/> as bytes).</summary>
    public readonly ReadOnlySpan<byte> Kinds = trace.Kinds;

    /// <summary>The function ordinal of each event.</summary>
    public readonly ReadOnlySpan<int> Ordinals = trace.FunctionOrdinals;

    /// <summary>The call depth of each event.</summary>
    public readonly ReadOnlySpan<uint> Depths = trace.Depths;

    /// <summary>The detail record of each event (<see cref="TraceEvent.NoDetail"/> when none).</summary>
    public readonly ReadOnlySpan<uint> Details = trace.DetailSeqs;

    /// <summary>The trace itself, for zone maps.</summary>
    public readonly ExecutionTrace Trace = trace;
}
