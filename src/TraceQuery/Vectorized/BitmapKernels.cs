using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Vectorized;

/// <summary>
/// Kernels over bitmaps of 64 elements per <c>ulong</c> word, for Filtering's selections: a column test into words, and
/// word-wise intersection, union, difference and complement. Each is an operator run by a <see cref="KernelDrivers"/>
/// driver, which picks the <c>Vector256</c> body or its scalar twin through <see cref="KernelDispatch"/>. Callers pass
/// spans of matching lengths; nothing here knows about traces.
/// </summary>
internal static class BitmapKernels
{
    /// <summary>
    /// Fills <paramref name="destination"/> with the words <c>[firstWord, firstWord + destination.Length)</c> of the test
    /// <paramref name="op"/> over <paramref name="column"/> (bits past the column's end are zero). O(words · 64); no allocation.
    /// </summary>
    public static void Scan<T, TOperator>(ReadOnlySpan<T> column, int firstWord, Span<ulong> destination, TOperator op)
        where T : unmanaged
        where TOperator : struct, IBooleanUnaryOperator<T> =>
        KernelDrivers.ScanBits(column, firstWord, destination, op);

    /// <summary>
    /// ANDs <paramref name="destination"/> (words <c>[firstWord, firstWord + destination.Length)</c>) with the test
    /// <paramref name="op"/> over <paramref name="column"/>, skipping words already zero (their elements are not read).
    /// Equal to a <see cref="Scan{T, TOperator}"/> into scratch followed by <see cref="And"/>. No allocation.
    /// </summary>
    public static void ScanAnd<T, TOperator>(ReadOnlySpan<T> column, int firstWord, Span<ulong> destination, TOperator op)
        where T : unmanaged
        where TOperator : struct, IBooleanUnaryOperator<T> =>
        KernelDrivers.ScanBitsAnd(column, firstWord, destination, op);

    /// <summary>result[i] = a[i] &amp; b[i]; <paramref name="result"/> may be exactly <paramref name="a"/> or <paramref name="b"/>.</summary>
    public static void And(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result) =>
        KernelDrivers.Combine<ulong, BitwiseAndOperator<ulong>>(a, b, result);

    /// <summary>result[i] = a[i] | b[i]; <paramref name="result"/> may be exactly <paramref name="a"/> or <paramref name="b"/>.</summary>
    public static void Or(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result) =>
        KernelDrivers.Combine<ulong, BitwiseOrOperator<ulong>>(a, b, result);

    /// <summary>result[i] = a[i] &amp; ~b[i]; <paramref name="result"/> may be exactly <paramref name="a"/> or <paramref name="b"/>.</summary>
    public static void AndNot(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b, Span<ulong> result) =>
        KernelDrivers.Combine<ulong, AndNotOperator<ulong>>(a, b, result);

    /// <summary>result[i] = ~a[i]; <paramref name="result"/> may be exactly <paramref name="a"/>.</summary>
    public static void Not(ReadOnlySpan<ulong> a, Span<ulong> result) =>
        KernelDrivers.Transform<ulong, XorOperator<ulong>>(a, ulong.MaxValue, result);

    /// <summary>Sets the bits of elements <c>[from, to)</c> in <paramref name="words"/>, which start at element <c>firstWord · 64</c>.</summary>
    public static void SetRange(Span<ulong> words, int firstWord, int from, int to)
    {
        int baseElement = firstWord << 6;
        from = Math.Max(from, baseElement);
        to = Math.Min(to, baseElement + (words.Length << 6));
        if (from >= to)
            return;
        from -= baseElement;
        to -= baseElement;
        int firstFull = from >> 6, last = (to - 1) >> 6;
        ulong headMask = ulong.MaxValue << from;
        ulong tailMask = ulong.MaxValue >> (63 - ((to - 1) & 63));
        if (firstFull == last)
        {
            words[firstFull] |= headMask & tailMask;
            return;
        }
        words[firstFull] |= headMask;
        words.Slice(firstFull + 1, last - firstFull - 1).Fill(ulong.MaxValue);
        words[last] |= tailMask;
    }
}
