using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>
/// A comparison of an element with a scalar: a <see cref="bool"/> for one element, all-ones or all-zero lanes
/// for a vector (STYLE convention 4).
/// </summary>
internal interface IPredicateOperator<T>
{
    /// <summary>Whether the vector <c>Invoke</c> may be used; when false drivers take the scalar path.</summary>
    static abstract bool Vectorizable { get; }

    /// <summary>The comparison of one element.</summary>
    static abstract bool Invoke(T x, T y);

    /// <summary>The comparison lane by lane: all bits set where it holds, zero elsewhere.</summary>
    static abstract Vector256<T> Invoke(Vector256<T> x, Vector256<T> y);
}
