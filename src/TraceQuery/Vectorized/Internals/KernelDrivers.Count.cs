using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

internal static partial class KernelDrivers
{
    /// <summary>
    /// The number of i with test(x[i]) (the same element tests as Filtering's column scans). Vector lanes become bits (<c>ExtractMostSignificantBits</c>) counted
    /// with <see cref="BitOperations.PopCount(uint)"/>; the tail reloads the last full vector and shifts out the
    /// bits of lanes already counted.
    /// </summary>
    public static int Count<T, TOperator>(ReadOnlySpan<T> x, TOperator test)
        where T : unmanaged
        where TOperator : struct, IBooleanUnaryOperator<T>
    {
        if (KernelDispatch.UseVector256<T>() && x.Length >= Vector256<T>.Count)
            return CountVector256(x, test);
        return CountScalar(x, test);
    }

    /// <summary>The scalar twin of <see cref="Count{T, TOperator}"/>.</summary>
    public static int CountScalar<T, TOperator>(ReadOnlySpan<T> x, TOperator test)
        where T : unmanaged
        where TOperator : struct, IBooleanUnaryOperator<T>
    {
        int count = 0;
        foreach (T value in x)
        {
            if (test.Invoke(value))
                count++;
        }

        return count;
    }

    private static int CountVector256<T, TOperator>(ReadOnlySpan<T> x, TOperator test)
        where T : unmanaged
        where TOperator : struct, IBooleanUnaryOperator<T>
    {
        ref T xRef = ref MemoryMarshal.GetReference(x);
        nuint length = (nuint)x.Length;
        nuint lanes = (nuint)Vector256<T>.Count;
        int count = 0;

        nuint i = 0;
        for (; i + lanes <= length; i += lanes)
            count += BitOperations.PopCount(test.Invoke(Vector256.LoadUnsafe(ref xRef, i)).ExtractMostSignificantBits());

        if (i != length)
        {
            uint bits = test.Invoke(Vector256.LoadUnsafe(ref xRef, length - lanes)).ExtractMostSignificantBits();
            count += BitOperations.PopCount(bits >> (int)(lanes - (length - i)));
        }

        return count;
    }
}
