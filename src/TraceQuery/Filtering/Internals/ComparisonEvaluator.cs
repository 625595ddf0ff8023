using System.Numerics;

namespace TraceQuery.Filtering.Internals;

/// <summary>The one scalar meaning of a <see cref="ComparisonOperator"/>, shared by the column operators and the span terms.</summary>
internal static class ComparisonEvaluator
{
    /// <summary>Whether <c>value op constant</c> holds.</summary>
    public static bool Holds<T>(ComparisonOperator op, T value, T constant)
        where T : IComparisonOperators<T, T, bool> => op switch
        {
            ComparisonOperator.Equal => value == constant,
            ComparisonOperator.NotEqual => value != constant,
            ComparisonOperator.Less => value < constant,
            ComparisonOperator.LessOrEqual => value <= constant,
            ComparisonOperator.Greater => value > constant,
            _ => value >= constant,
        };
}
