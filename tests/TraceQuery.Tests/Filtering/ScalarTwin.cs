using TraceQuery.Filtering;
using TraceQuery.Model;
using TraceQuery.Vectorized;

namespace TraceQuery.Tests.Filtering;

/// <summary>
/// Evaluates a filter with every scan and bitmap operation on its scalar twin, through the one
/// <see cref="KernelDispatch"/> switch. The override is async-local: it reaches the evaluation's parallel chunks and no
/// other test running at the same time.
/// </summary>
internal static class ScalarTwin
{
    public static Selection Evaluate(EventFilter filter, ExecutionTrace trace)
    {
        using var scope = KernelDispatch.ForceScalarScope();
        return filter.Evaluate(trace);
    }
}
