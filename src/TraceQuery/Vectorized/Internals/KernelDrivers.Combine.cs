using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

internal static partial class KernelDrivers
{
    /// <summary>
    /// destination[i] = op(x[i], y[i]) for every i of <paramref name="x"/>. As in <see cref="Transform{T, TOperator}"/>, the
    /// last full vector is computed before anything is stored and written last, so <paramref name="destination"/> may be
    /// exactly <paramref name="x"/> or <paramref name="y"/> (in place).
    /// </summary>
    public static void Combine<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where TOperator : IBinaryOperator<T>
    {
        Debug.Assert(y.Length >= x.Length && destination.Length >= x.Length);
        if (TOperator.Vectorizable && KernelDispatch.UseVector256<T>() && x.Length >= Vector256<T>.Count)
            CombineVector256<T, TOperator>(x, y, destination);
        else
            CombineScalar<T, TOperator>(x, y, destination);
    }

    /// <summary>The scalar twin of <see cref="Combine{T, TOperator}"/>.</summary>
    public static void CombineScalar<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where TOperator : IBinaryOperator<T>
    {
        for (int i = 0; i < x.Length; i++)
            destination[i] = TOperator.Invoke(x[i], y[i]);
    }

    private static void CombineVector256<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where TOperator : IBinaryOperator<T>
    {
        ref T xRef = ref MemoryMarshal.GetReference(x);
        ref T yRef = ref MemoryMarshal.GetReference(y);
        ref T dRef = ref MemoryMarshal.GetReference(destination);
        nuint length = (nuint)x.Length;
        nuint count = (nuint)Vector256<T>.Count;

        // Computed before the loop stores anything: in place, the loop would otherwise feed it results.
        Vector256<T> end = TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, length - count), Vector256.LoadUnsafe(ref yRef, length - count));

        nuint i = 0;
        for (; i + count <= length; i += count)
            TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, i), Vector256.LoadUnsafe(ref yRef, i)).StoreUnsafe(ref dRef, i);

        end.StoreUnsafe(ref dRef, length - count);
    }
}
