using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

internal static partial class KernelDrivers
{
    /// <summary>
    /// Bitmap words <c>[firstWord, firstWord + destination.Length)</c> of the test <paramref name="op"/> over
    /// <paramref name="x"/>: bit j of word w is op(x[64·w + j]), bits past the end of <paramref name="x"/> are zero. A full
    /// word is 64 / <c>Vector256&lt;T&gt;.Count</c> vector tests turned into bits with <c>ExtractMostSignificantBits</c>;
    /// the last, partial word is tested element by element (a predicate tail needs no mask).
    /// </summary>
    public static void ScanBits<T, TOperator>(ReadOnlySpan<T> x, int firstWord, Span<ulong> destination, TOperator op)
        where T : unmanaged
        where TOperator : struct, IBooleanUnaryOperator<T> =>
        DispatchScanBits(x, firstWord, destination, op, narrow: false);

    /// <summary>
    /// Narrows <paramref name="destination"/> (words <c>[firstWord, firstWord + destination.Length)</c>) by the test
    /// <paramref name="op"/> over <paramref name="x"/>: each word is ANDed with the test's bits, and a word that is already
    /// zero is left alone without reading its 64 elements, so a selective earlier term saves the later terms' reads.
    /// </summary>
    public static void ScanBitsAnd<T, TOperator>(ReadOnlySpan<T> x, int firstWord, Span<ulong> destination, TOperator op)
        where T : unmanaged
        where TOperator : struct, IBooleanUnaryOperator<T> =>
        DispatchScanBits(x, firstWord, destination, op, narrow: true);

    private static void DispatchScanBits<T, TOperator>(ReadOnlySpan<T> x, int firstWord, Span<ulong> destination, TOperator op, bool narrow)
        where T : unmanaged
        where TOperator : struct, IBooleanUnaryOperator<T>
    {
        if (KernelDispatch.UseVector256<T>())
            ScanBitsVector256(x, firstWord, destination, op, narrow);
        else
            ScanBitsScalar(x, firstWord, destination, op, narrow);
    }

    /// <summary>
    /// The scalar twin of <see cref="ScanBits{T, TOperator}"/> (and, with <paramref name="narrow"/>, of
    /// <see cref="ScanBitsAnd{T, TOperator}"/>).
    /// </summary>
    public static void ScanBitsScalar<T, TOperator>(ReadOnlySpan<T> x, int firstWord, Span<ulong> destination, TOperator op, bool narrow = false)
        where T : unmanaged
        where TOperator : struct, IBooleanUnaryOperator<T>
    {
        ref T origin = ref MemoryMarshal.GetReference(x);
        for (int w = 0; w < destination.Length; w++)
        {
            // Scanning is narrowing an all-ones word; a zero word stays zero without a read.
            ulong current = narrow ? destination[w] : ulong.MaxValue;
            if (current == 0)
                continue;
            int start = (firstWord + w) << 6;
            destination[w] = current & ScanWordScalar(ref origin, start, Math.Min(64, x.Length - start), op);
        }
    }

    private static void ScanBitsVector256<T, TOperator>(ReadOnlySpan<T> x, int firstWord, Span<ulong> destination, TOperator op, bool narrow)
        where T : unmanaged
        where TOperator : struct, IBooleanUnaryOperator<T>
    {
        int n = x.Length;
        int lanes = Vector256<T>.Count;
        ref T origin = ref MemoryMarshal.GetReference(x);
        for (int w = 0; w < destination.Length; w++)
        {
            ulong current = narrow ? destination[w] : ulong.MaxValue;
            if (current == 0)
                continue;
            int start = (firstWord + w) << 6;
            if (start + 64 <= n)
            {
                ulong bits = 0;
                for (int k = 0; k < 64; k += lanes)
                    bits |= (ulong)op.Invoke(Vector256.LoadUnsafe(ref origin, (nuint)(start + k))).ExtractMostSignificantBits() << k;
                destination[w] = current & bits;
            }
            else
            {
                destination[w] = current & ScanWordScalar(ref origin, start, Math.Min(64, n - start), op);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ScanWordScalar<T, TOperator>(ref T origin, int start, int count, TOperator op)
        where T : unmanaged
        where TOperator : struct, IBooleanUnaryOperator<T>
    {
        ulong bits = 0;
        for (int j = 0; j < count; j++)
        {
            if (op.Invoke(Unsafe.Add(ref origin, start + j)))
                bits |= 1UL << j;
        }
        return bits;
    }
}
