using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized;

/// <summary>
/// A test of one element, as a <see cref="bool"/> and lane by lane as all-ones or all-zero lanes (STYLE convention 4),
/// like TensorPrimitives' <c>IBooleanUnaryOperator</c>. Unlike the static operators of the numeric kernels it is an
/// instance of a <c>readonly struct</c>, so it can carry its constants (the kinds wanted, a set of function ordinals);
/// <see cref="BitmapKernels.Scan{T, TOperator}"/> owns the loop, the dispatch and the tail.
/// </summary>
internal interface IBooleanUnaryOperator<T>
    where T : unmanaged
{
    /// <summary>The test of one element.</summary>
    bool Invoke(T value);

    /// <summary>The test lane by lane: all bits set where it holds, zero elsewhere; each lane equals the scalar test.</summary>
    Vector256<T> Invoke(Vector256<T> values);
}
