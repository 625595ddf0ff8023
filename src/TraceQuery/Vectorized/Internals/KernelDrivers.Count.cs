using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

internal static partial class KernelDrivers
{
    /// <summary>
    /// The number of i with predicate(x[i], y). Vector lanes become bits (<c>ExtractMostSignificantBits</c>) counted
    /// with <see cref="BitOperations.PopCount(uint)"/>; the tail reloads the last full vector and shifts out the
    /// bits of lanes already counted.
    /// </summary>
    public static int Count<T, TPredicate>(ReadOnlySpan<T> x, T y)
        where TPredicate : IPredicateOperator<T>
    {
        if (TPredicate.Vectorizable && KernelDispatch.UseVector256<T>() && x.Length >= Vector256<T>.Count)
            return CountVector256<T, TPredicate>(x, y);
        return CountScalar<T, TPredicate>(x, y);
    }

    /// <summary>The scalar twin of <see cref="Count{T, TPredicate}"/>.</summary>
    public static int CountScalar<T, TPredicate>(ReadOnlySpan<T> x, T y)
        where TPredicate : IPredicateOperator<T>
    {
        int count = 0;
        foreach (T value in x)
        {
            if (TPredicate.Invoke(value, y))
                count++;
        }

        return count;
    }

    private static int CountVector256<T, TPredicate>(ReadOnlySpan<T> x, T y)
        where TPredicate : IPredicateOperator<T>
    {
        ref T xRef = ref MemoryMarshal.GetReference(x);
        nuint length = (nuint)x.Length;
        nuint lanes = (nuint)Vector256<T>.Count;
        Vector256<T> yVector = Vector256.Create(y);
        int count = 0;

        nuint i = 0;
        for (; i + lanes <= length; i += lanes)
            count += BitOperations.PopCount(TPredicate.Invoke(Vector256.LoadUnsafe(ref xRef, i), yVector).ExtractMostSignificantBits());

        if (i != length)
        {
            uint bits = TPredicate.Invoke(Vector256.LoadUnsafe(ref xRef, length - lanes), yVector).ExtractMostSignificantBits();
            count += BitOperations.PopCount(bits >> (int)(lanes - (length - i)));
        }

        return count;
    }
}
