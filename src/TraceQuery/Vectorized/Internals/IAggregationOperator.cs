using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>
/// An associative, commutative binary operation that folds a span into one value, with an identity for
/// masked lanes and a horizontal fold of a vector's lanes.
/// </summary>
internal interface IAggregationOperator<T> : IBinaryOperator<T>
{
    /// <summary>The value that leaves any operand unchanged; masked-off tail lanes are set to it.</summary>
    static abstract T IdentityValue { get; }

    /// <summary>Folds the lanes of <paramref name="x"/> into one value.</summary>
    static abstract T Invoke(Vector256<T> x);
}
