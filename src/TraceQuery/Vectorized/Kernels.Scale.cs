using TraceQuery.Vectorized.Internals;

namespace TraceQuery.Vectorized;

public static partial class Kernels
{
    /// <summary>
    /// destination[i] = x[i] · <paramref name="factor"/>. <paramref name="destination"/> may be exactly
    /// <paramref name="x"/> (in place) but must not otherwise overlap it and must be at least as long, else
    /// <see cref="ArgumentException"/>. O(n), no allocation.
    /// </summary>
    public static void Scale(ReadOnlySpan<float> x, float factor, Span<float> destination)
    {
        ValidateDestination(x, destination);
        KernelDrivers.Transform<float, MultiplyOperator<float>>(x, factor, destination);
    }

    /// <summary>
    /// destination[i] = x[i] · <paramref name="factor"/>. <paramref name="destination"/> may be exactly
    /// <paramref name="x"/> (in place) but must not otherwise overlap it and must be at least as long, else
    /// <see cref="ArgumentException"/>. O(n), no allocation.
    /// </summary>
    public static void Scale(ReadOnlySpan<double> x, double factor, Span<double> destination)
    {
        ValidateDestination(x, destination);
        KernelDrivers.Transform<double, MultiplyOperator<double>>(x, factor, destination);
    }

    /// <summary>
    /// destination[i] = x[i] · <paramref name="factor"/>, wrapping on overflow like unchecked C#.
    /// <paramref name="destination"/> may be exactly <paramref name="x"/> (in place) but must not otherwise
    /// overlap it and must be at least as long, else <see cref="ArgumentException"/>. O(n), no allocation.
    /// </summary>
    public static void Scale(ReadOnlySpan<long> x, long factor, Span<long> destination)
    {
        ValidateDestination(x, destination);
        KernelDrivers.Transform<long, MultiplyOperator<long>>(x, factor, destination);
    }

    private static void ValidateDestination<T>(ReadOnlySpan<T> x, Span<T> destination)
    {
        if (destination.Length < x.Length)
            ThrowDestinationTooShort(nameof(destination));
        if (x.Overlaps(destination, out int offset) && offset != 0)
            ThrowPartialOverlap(nameof(destination));
    }
}
