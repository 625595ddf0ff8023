using System.Runtime.Intrinsics;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary><c>value op constant</c> over a <c>uint</c> column (depths, detail records).</summary>
internal readonly struct CompareUInt32Operator(ComparisonOperator op, uint constant) : IBooleanUnaryOperator<uint>
{
    public bool Invoke(uint value) => ComparisonEvaluator.Holds(op, value, constant);

    public Vector256<uint> Invoke(Vector256<uint> values)
    {
        var c = Vector256.Create(constant);
        return op switch
        {
            ComparisonOperator.Equal => Vector256.Equals(values, c),
            ComparisonOperator.NotEqual => ~Vector256.Equals(values, c),
            ComparisonOperator.Less => Vector256.LessThan(values, c),
            ComparisonOperator.LessOrEqual => Vector256.LessThanOrEqual(values, c),
            ComparisonOperator.Greater => Vector256.GreaterThan(values, c),
            _ => Vector256.GreaterThanOrEqual(values, c),
        };
    }
}
