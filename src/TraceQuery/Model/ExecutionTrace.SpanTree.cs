namespace TraceQuery.Model;

public sealed partial class ExecutionTrace
{
    private SpanTree? _spanTree;

    /// <summary>
    /// The interval encoding of the span forest (<see cref="Model.SpanTree"/>), for structural filters. Built on
    /// first use from <see cref="Spans"/> and cached; thread-safe; O(spans) once.
    /// </summary>
    internal SpanTree SpanTree
    {
        get
        {
            var tree = Volatile.Read(ref _spanTree);
            if (tree is not null)
                return tree;
            tree = SpanTree.Build(this, Spans, forceUnnested: false);
            return Interlocked.CompareExchange(ref _spanTree, tree, null) ?? tree;
        }
    }
}
