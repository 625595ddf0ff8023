using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

internal static partial class KernelDrivers
{
    /// <summary>
    /// destination[i] = op(x[i], y) for every i. The last full vector is computed before anything is stored and
    /// written last, overlapping the main loop, so exact aliasing of <paramref name="x"/> and
    /// <paramref name="destination"/> (in place) is safe.
    /// </summary>
    public static void Transform<T, TOperator>(ReadOnlySpan<T> x, T y, Span<T> destination)
        where TOperator : IBinaryOperator<T>
    {
        Debug.Assert(destination.Length >= x.Length);
        if (TOperator.Vectorizable && KernelDispatch.UseVector256<T>() && x.Length >= Vector256<T>.Count)
            TransformVector256<T, TOperator>(x, y, destination);
        else
            TransformScalar<T, TOperator>(x, y, destination);
    }

    /// <summary>The scalar twin of <see cref="Transform{T, TOperator}"/>.</summary>
    public static void TransformScalar<T, TOperator>(ReadOnlySpan<T> x, T y, Span<T> destination)
        where TOperator : IBinaryOperator<T>
    {
        for (int i = 0; i < x.Length; i++)
            destination[i] = TOperator.Invoke(x[i], y);
    }

    private static void TransformVector256<T, TOperator>(ReadOnlySpan<T> x, T y, Span<T> destination)
        where TOperator : IBinaryOperator<T>
    {
        ref T xRef = ref MemoryMarshal.GetReference(x);
        ref T dRef = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)x.Length;
        nuint count = (nuint)Vector256<T>.Count;
        Vector256<T> yVector = Vector256.Create(y);

        // Computed before the loop stores anything: in place, the loop would otherwise feed it results.
        Vector256<T> end = TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, length - count), yVector);

        nuint i = 0;
        for (; i + count <= length; i += count)
            TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, i), yVector).StoreUnsafe(ref dRef, i);

        end.StoreUnsafe(ref dRef, length - count);
    }
}
