using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>
/// (x − a)² in double, the second pass of a two-pass variance with a = the mean. <typeparamref name="TToDouble"/> turns
/// an element into a double first (<see cref="IdentityOperator{T}"/> for doubles, <see cref="ToDoubleOperator"/> for
/// integers); its argument is not used.
/// </summary>
internal readonly struct SquaredDeviationOperator<TIn, TToDouble> : ITransformOperator<TIn, double>
    where TToDouble : ITransformOperator<TIn, double>
{
    public static bool Vectorizable => TToDouble.Vectorizable;

    public static double Invoke(TIn x, double argument)
    {
        double deviation = TToDouble.Invoke(x, 0) - argument;
        return deviation * deviation;
    }

    public static Vector256<double> Invoke(Vector256<TIn> x, Vector256<double> argument)
    {
        Vector256<double> deviation = TToDouble.Invoke(x, Vector256<double>.Zero) - argument;
        return deviation * deviation;
    }
}
