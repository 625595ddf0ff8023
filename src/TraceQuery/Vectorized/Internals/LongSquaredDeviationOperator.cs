using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>((double)x − a)², the second pass of a two-pass variance of integers with a = the mean.</summary>
internal readonly struct LongSquaredDeviationOperator : ITransformOperator<long, double>
{
    public static bool Vectorizable => true;

    public static double Invoke(long x, double argument)
    {
        double deviation = x - argument;
        return deviation * deviation;
    }

    public static Vector256<double> Invoke(Vector256<long> x, Vector256<double> argument)
    {
        Vector256<double> deviation = ToDoubleOperator.Convert(x) - argument;
        return deviation * deviation;
    }
}
