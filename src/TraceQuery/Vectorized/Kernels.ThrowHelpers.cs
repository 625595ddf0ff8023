using System.Diagnostics.CodeAnalysis;

namespace TraceQuery.Vectorized;

public static partial class Kernels
{
    private static void ThrowIfEmpty<T>(ReadOnlySpan<T> x, string paramName)
    {
        if (x.IsEmpty)
            ThrowEmpty(paramName);
    }

    private static void ThrowIfEmpty<T>(Span<T> x, string paramName)
    {
        if (x.IsEmpty)
            ThrowEmpty(paramName);
    }

    private static void ThrowIfRankOutOfRange(int k, int length)
    {
        if ((uint)k >= (uint)length)
            ThrowRankOutOfRange(k, length);
    }

    private static void ThrowIfNotFraction(double p, string paramName)
    {
        if (!(p >= 0.0 && p <= 1.0))
            ThrowNotFraction(p, paramName);
    }

    [DoesNotReturn]
    private static void ThrowEmpty(string paramName) =>
        throw new ArgumentException("The span is empty; this operation needs at least one element.", paramName);

    [DoesNotReturn]
    private static void ThrowDestinationTooShort(string paramName) =>
        throw new ArgumentException("The destination is too short: give it at least as many elements as the input.", paramName);

    [DoesNotReturn]
    private static void ThrowPartialOverlap(string paramName) =>
        throw new ArgumentException(
            "The destination overlaps the input without being the same memory; pass the input itself for in-place work or a separate buffer.",
            paramName);

    [DoesNotReturn]
    private static void ThrowRankOutOfRange(int k, int length) =>
        throw new ArgumentOutOfRangeException(
            nameof(k), k, length == 0 ? "The span is empty; there is no k-th element." : $"k must be in [0, {length - 1}] for a span of {length} elements.");

    [DoesNotReturn]
    private static void ThrowNotFraction(double p, string paramName) =>
        throw new ArgumentOutOfRangeException(paramName, p, "A percentile is a fraction in [0, 1] (0.95 for p95).");
}
