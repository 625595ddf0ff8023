using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>
/// An element-wise operation of two operands, given once for a scalar and once for a <see cref="Vector256{T}"/>
/// whose lanes must each equal the scalar result (the scalar twin).
/// </summary>
internal interface IBinaryOperator<T>
{
    /// <summary>Whether the vector <c>Invoke</c> may be used; when false drivers take the scalar path.</summary>
    static abstract bool Vectorizable { get; }

    /// <summary>The operation on one pair of elements.</summary>
    static abstract T Invoke(T x, T y);

    /// <summary>The operation lane by lane.</summary>
    static abstract Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);
}
