using TraceQuery.Model.Internals;

namespace TraceQuery.Model;

public sealed partial class ExecutionTrace
{
    private SpanTree? _spanTree;

    /// <summary>
    /// The interval encoding of the span forest (<see cref="Model.SpanTree"/>), for structural filters. Built on
    /// first use from <see cref="Spans"/> and cached; thread-safe; O(spans) once.
    /// </summary>
    internal SpanTree SpanTree =>
        Volatile.Read(ref _spanTree) ?? BuiltOnce.Publish(ref _spanTree, SpanTree.Build(this, Spans, forceUnnested: false));
}
