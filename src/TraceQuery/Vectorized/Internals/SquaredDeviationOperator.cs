using System.Runtime.Intrinsics;

namespace TraceQuery.Vectorized.Internals;

/// <summary>(x − a)², the second pass of a two-pass variance with a = the mean.</summary>
internal readonly struct SquaredDeviationOperator : ITransformOperator<double, double>
{
    public static bool Vectorizable => true;

    public static double Invoke(double x, double argument)
    {
        double deviation = x - argument;
        return deviation * deviation;
    }

    public static Vector256<double> Invoke(Vector256<double> x, Vector256<double> argument)
    {
        Vector256<double> deviation = x - argument;
        return deviation * deviation;
    }
}
