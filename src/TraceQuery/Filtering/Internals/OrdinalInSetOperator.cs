using System.Runtime.Intrinsics;
using TraceQuery.Vectorized;

namespace TraceQuery.Filtering.Internals;

/// <summary><c>value ∈ set</c> over function ordinals for sets of up to <see cref="MaxMembers"/> members, by vector compares.</summary>
internal readonly struct OrdinalInSetOperator(int[] members) : IBooleanUnaryOperator<int>
{
    /// <summary>The largest set compared lane by lane; larger sets use a lookup table (<see cref="FunctionSetPlan"/>).</summary>
    public const int MaxMembers = 16;

    public bool Invoke(int value)
    {
        foreach (int m in members)
        {
            if (m == value)
                return true;
        }
        return false;
    }

    public Vector256<int> Invoke(Vector256<int> values)
    {
        var result = Vector256<int>.Zero;
        foreach (int m in members)
            result |= Vector256.Equals(values, Vector256.Create(m));
        return result;
    }
}
