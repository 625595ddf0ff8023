using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>(double)x, rounded to nearest (the argument is unused).</summary>
internal readonly struct ToDoubleOperator : ITransformOperator<long, double>
{
    private const ulong TwoPow52Bits = 0x4330_0000_0000_0000; // 2^52: a uint32 OR-ed in reads as 2^52 + u
    private const ulong TwoPow84Bits = 0x4530_0000_0000_0000; // 2^84: a uint32 OR-ed in reads as 2^84 + u·2^32
    private const double TwoPow52 = 4503599627370496.0;
    private const double TwoPow84 = 19342813113834066795298816.0;
    private const double TwoPow84PlusTwoPow64 = 19342831560578140504850432.0;

    public static bool Vectorizable => true;

    public static double Invoke(long x, double argument) => x;

    public static Vector256<double> Invoke(Vector256<long> x, Vector256<double> argument) => Convert(x);

    /// <summary>
    /// Exactly <c>(double)x</c> per lane without AVX-512 (where <see cref="Vector256.ConvertToDouble(Vector256{long})"/>
    /// falls back to one element at a time): the high and low 32-bit halves become doubles exactly through magic
    /// exponents, and their sum is the only rounding, as in the scalar conversion.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Convert(Vector256<long> x)
    {
        Vector256<ulong> bits = x.AsUInt64();
        Vector256<double> low = ((bits & Vector256.Create(0xFFFF_FFFFUL)) | Vector256.Create(TwoPow52Bits)).AsDouble()
            - Vector256.Create(TwoPow52);
        // High half as unsigned times 2^32, minus 2^64 when x is negative: the signed high half times 2^32, exact.
        Vector256<double> offset = Vector256.ConditionalSelect(
            Vector256.LessThan(x, Vector256<long>.Zero).AsDouble(), Vector256.Create(TwoPow84PlusTwoPow64), Vector256.Create(TwoPow84));
        Vector256<double> high = (Vector256.ShiftRightLogical(bits, 32) | Vector256.Create(TwoPow84Bits)).AsDouble() - offset;
        return high + low;
    }
}
